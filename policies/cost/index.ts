/**
 * The cost of a plan: the dated price catalog (`catalog/`), what a plan holds (`holders.ts`), its
 * monthly cost (`estimate.ts`), budgets (`budget.ts`) and money in words (`format.ts`). Imports
 * nothing of the project but lib/, so the CLI and the policy pack share it.
 */
export { CATALOG_FILE, CatalogError, ageDays, catalogAsOf, catalogJson, committedCatalog, parseCatalog, readCatalog, type PriceCatalog } from "./catalog";
export { type Budget, type BudgetCheck, type Limits, type Measure, budgetOf, checkBudget, parseBudget } from "./budget";
export { type BreakdownRow, type CostLine, type CostTotals, type StackCost, type UsageItem, HOURS_PER_MONTH, cents, estimateCost, linesOfModel, normalizeAccelerator, totalsOf } from "./estimate";
export { type Capacity, type CostResource, type Holder, type Platform, CAPACITIES, holdingsOf } from "./holders";
export { budgetCheckPhrase, countPhrase, hourly, signedUsd, subjectOf, total, totalsPhrase, unitPhrase, usd } from "./format";
