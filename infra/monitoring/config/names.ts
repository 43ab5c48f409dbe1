/**
 * The stack's Model Armor log-based metric: its name (what infra/monitoring/safety.ts creates) and
 * its Monitoring type (what alerts and \`llmops rollout analyze\` read). Pulumi-free, so the CLI
 * reads it without loading the SDK.
 */
export const sanitizeMetricName = (environment: string) => `llmops/${environment}/model_armor_sanitize_operations`;

/** Log-based metrics are `logging.googleapis.com/user/<name>` in Cloud Monitoring. */
export const sanitizeMetricType = (environment: string) => `logging.googleapis.com/user/${sanitizeMetricName(environment)}`;
