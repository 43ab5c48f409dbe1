/**
 * The typed vocabulary of the DSL: parameter and artifact types, and the specs of component and
 * pipeline inputs and outputs. The type parameters carry each declaration's exact type so that
 * wiring a task (see `TaskArgs` in `task.ts`) is checked by the TypeScript compiler.
 */

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** `ParameterType.ParameterTypeEnum` of the KFP IR, minus the internal kinds. */
export type ParameterType = "STRING" | "NUMBER_INTEGER" | "NUMBER_DOUBLE" | "BOOLEAN" | "LIST" | "STRUCT";
/** The types a condition can compare. */
export type PrimitiveType = Exclude<ParameterType, "LIST" | "STRUCT">;

/** The TypeScript value of each parameter type, as constants and defaults are written. */
export interface ParameterValues {
  readonly STRING: string;
  readonly NUMBER_INTEGER: number;
  readonly NUMBER_DOUBLE: number;
  readonly BOOLEAN: boolean;
  readonly LIST: readonly JsonValue[];
  readonly STRUCT: { readonly [key: string]: JsonValue };
}
export type ValueOf<T extends ParameterType> = ParameterValues[T];

/** An input or output parameter. `Optional` is true when the input has a default or is marked optional. */
export interface ParameterSpec<T extends ParameterType = ParameterType, Optional extends boolean = boolean, Item extends ParameterType = ParameterType, Field extends ParameterType = ParameterType> {
  readonly kind: "parameter";
  readonly type: T;
  readonly optional: Optional;
  readonly default?: ValueOf<T>;
  readonly description?: string;
  /** For LIST parameters: the type of one item, used by `parallelFor`. @default "STRING" (as the SDK) */
  readonly itemType?: Item;
  /**
   * For LIST parameters whose items are objects: the type of their fields, which `item.field()`
   * reads (the SDK's `Dict[str, <type>]`). @default "STRING"
   */
  readonly itemFieldType?: Field;
  /** Allowed values, checked by `encodeParameterValues`; not part of the compiled spec. */
  readonly choices?: readonly ValueOf<T>[];
}

/**
 * An input or output artifact, identified by its schema title such as `system.Dataset`; with
 * `list`, a list of such artifacts (the SDK's `List[Dataset]`, `isArtifactList`).
 */
export interface ArtifactSpec<S extends string = string, Optional extends boolean = boolean, List extends boolean = boolean> {
  readonly kind: "artifact";
  readonly schemaTitle: S;
  readonly schemaVersion: string;
  readonly optional: Optional;
  readonly list?: List;
  readonly description?: string;
}

/** The `PipelineTaskFinalStatus` input of an exit task; the compiler fills it in. */
export interface TaskFinalStatusSpec {
  readonly kind: "taskFinalStatus";
  readonly description?: string;
}

export type InputSpec = ParameterSpec | ArtifactSpec | TaskFinalStatusSpec;
export type OutputSpec = ParameterSpec<ParameterType, false> | ArtifactSpec<string, false>;
export type InputSpecs = { readonly [name: string]: InputSpec };
export type OutputSpecs = { readonly [name: string]: OutputSpec };
/**
 * Pipeline (root) inputs: parameters, which Vertex AI passes in `runtimeConfig.parameterValues`,
 * and artifacts (`Input[Dataset]` on the pipeline function), passed in
 * `runtimeConfig.inputArtifacts` as existing artifacts' ids.
 */
export type PipelineInputSpecs = { readonly [name: string]: ParameterSpec | ArtifactSpec };

/** Anything a task can run: a container component, an importer, or a whole pipeline. */
export interface ComponentLike<I extends InputSpecs = InputSpecs, O extends OutputSpecs = OutputSpecs> {
  readonly name: string;
  readonly inputs: I;
  readonly outputs: O;
}
