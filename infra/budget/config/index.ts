/** The budget's configuration, Pulumi-free: `llmops:budget`. */
export { type BudgetConfig, type BudgetSlice, budgetSchema, checkBudget } from "./schema";
export { type BudgetLimits, type BudgetSettings, resolveBudget } from "./settings";
