export { ProjectApis, type ProjectApisArgs } from "./apis";
export { Buckets, type BucketsArgs } from "./buckets";
export { Registries, type RegistriesArgs } from "./registries";
export { ServiceAccounts, type ServiceAccountsArgs, ACCOUNTS, DEPLOYER_ROLES, GRANTS, type Account, accountEmail } from "./service-accounts";
export { CiFederation, type CiFederationArgs } from "./ci-federation";
