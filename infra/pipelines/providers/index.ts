export { KfpTemplate, kfpTemplateProvider } from "./kfp-template";
export type { KfpTemplateArgs } from "./kfp-template";
export { contentHashOf } from "./kfp-template-inputs";
export type { KfpTemplateInputs, KfpTemplateOutputs } from "./kfp-template-inputs";
