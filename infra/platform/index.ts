export { ProjectApis, type ProjectApisArgs } from "./apis";
export { Buckets, type BucketsArgs } from "./buckets";
export { Registries, type RegistriesArgs } from "./registries";
export { ServiceAccounts, type ServiceAccountsArgs, ACCOUNTS, GRANTS, type Account, accountEmail } from "./service-accounts";
export { CiFederation, type CiFederationArgs } from "./ci-federation";
