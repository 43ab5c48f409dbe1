export { ProjectApis, type ProjectApisArgs } from "./apis";
export { Buckets, type BucketsArgs } from "./buckets";
export { Registries, type RegistriesArgs } from "./registries";
export { ServiceAccounts, type ServiceAccountsArgs, DEPLOYER_ROLES, GRANTS } from "./service-accounts";
export type { Account, BucketRole, PlatformSettings } from "./config";
export { CiFederation, type CiFederationArgs } from "./ci-federation";
