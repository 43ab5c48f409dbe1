/** The Monitoring type of the stack's Model Armor counter, as infra/monitoring creates it. */
export { sanitizeMetricType as SANITIZE_LOG_METRIC } from "../../infra/monitoring/config";
