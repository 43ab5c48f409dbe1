/** The platform's configuration, Pulumi-free: schemas, defaults and the names it owns. */
export { storageSchema, type StorageConfig, type BucketConfig, BUCKET_ROLES, type BucketRole, DATA_BUCKET_ROLES, kmsKeyLocation } from "./storage";
export { ciSchema, type CiConfig, ACCOUNTS, type Account, accountEmail, type LifecycleRule, type ResolvedBucket, type RegistryNames, type PlatformSettings, imageReference, resolvePlatform } from "./resolve";
