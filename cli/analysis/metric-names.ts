/**
 * The Monitoring type of the stack's Model Armor counter (infra/monitoring/safety.ts names it
 * `llmops/<environment>/model_armor_sanitize_operations`; log-based metrics are
 * `logging.googleapis.com/user/<name>`).
 */
export const SANITIZE_LOG_METRIC = (environment: string) => `logging.googleapis.com/user/llmops/${environment}/model_armor_sanitize_operations`;
