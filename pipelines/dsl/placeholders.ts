/**
 * Placeholders in a container's command and args, resolved by the pipeline backend at run time.
 * Simple placeholders can be used inside template strings (`--out=${io.outputs.model.path}`), as in
 * SDK f-strings; `concat` and `ifPresent` are structures and may not.
 */

import type { ArtifactSpec, InputSpecs, OutputSpecs } from "./types";

export class Placeholder {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** The placeholders of one artifact input or output. */
export class ArtifactPlaceholders {
  constructor(
    private readonly side: "inputs" | "outputs",
    private readonly name: string,
  ) {}

  /** The artifact's URI, e.g. `gs://…`. */
  get uri(): Placeholder {
    return this.field("uri");
  }

  /** A local path to the artifact (on Vertex AI, the Cloud Storage FUSE path of `uri`). */
  get path(): Placeholder {
    return this.field("path");
  }

  /** The artifact's metadata as JSON. */
  get metadata(): Placeholder {
    return this.field("metadata");
  }

  /** One metadata field, e.g. `metadataField("resourceName")` of a `google.VertexModel`. */
  metadataField(key: string): Placeholder {
    return new Placeholder(`{{$.${this.side}.artifacts['${this.name}'].metadata['${key}']}}`);
  }

  private field(field: string): Placeholder {
    return new Placeholder(`{{$.${this.side}.artifacts['${this.name}'].${field}}}`);
  }
}

/** Concatenates its items at run time; serialized as `{"Concat": [...]}`. */
export class ConcatPlaceholder {
  constructor(readonly items: readonly CommandLineElement[]) {}

  toString(): string {
    throw new Error("concat(...) cannot be used inside a template string; pass it as its own command-line element");
  }
}

/** Uses `then` when the optional input `inputName` is given, else `otherwise`; serialized as `{"IfPresent": {...}}`. */
export class IfPresentPlaceholder {
  constructor(
    readonly inputName: string,
    readonly then: CommandLineElement | readonly CommandLineElement[],
    readonly otherwise?: CommandLineElement | readonly CommandLineElement[],
  ) {}

  toString(): string {
    throw new Error("ifPresent(...) cannot be used inside a template string; pass it as its own command-line element");
  }
}

export type CommandLineElement = string | Placeholder | ConcatPlaceholder | IfPresentPlaceholder;

type InputPlaceholders<I extends InputSpecs> = {
  readonly [K in keyof I]: I[K] extends ArtifactSpec ? ArtifactPlaceholders : Placeholder;
};
type OutputPlaceholders<O extends OutputSpecs> = {
  readonly [K in keyof O]: O[K] extends ArtifactSpec ? ArtifactPlaceholders : Placeholder;
};
type OptionalInputName<I extends InputSpecs> = {
  [K in keyof I]: I[K] extends { readonly optional: true } ? K : never;
}[keyof I] &
  string;

/** What a component's `command` and `args` functions receive. */
export interface ComponentIo<I extends InputSpecs, O extends OutputSpecs> {
  /** `{{$.inputs.parameters['x']}}` for parameters; `.uri`, `.path`, `.metadata` for artifacts. */
  readonly inputs: InputPlaceholders<I>;
  /** `{{$.outputs.parameters['x'].output_file}}` (write the value there) for parameters; `.uri`, `.path`, `.metadata` for artifacts. */
  readonly outputs: OutputPlaceholders<O>;
  /** `{{$}}`: the whole ExecutorInput as JSON. */
  readonly executorInput: Placeholder;
  /** `{{$.outputs.output_file}}`: where the container may write an ExecutorOutput. */
  readonly executorOutputFile: Placeholder;
  concat(...items: readonly CommandLineElement[]): ConcatPlaceholder;
  /** Only optional inputs can be tested for presence. */
  ifPresent(
    inputName: OptionalInputName<I>,
    then: CommandLineElement | readonly CommandLineElement[],
    otherwise?: CommandLineElement | readonly CommandLineElement[],
  ): IfPresentPlaceholder;
}

export function componentIo<I extends InputSpecs, O extends OutputSpecs>(inputs: I, outputs: O): ComponentIo<I, O> {
  const inputPlaceholders = Object.fromEntries(
    Object.entries(inputs).map(([name, spec]) => [
      name,
      spec.kind === "artifact" ? new ArtifactPlaceholders("inputs", name) : new Placeholder(`{{$.inputs.parameters['${name}']}}`),
    ]),
  );
  const outputPlaceholders = Object.fromEntries(
    Object.entries(outputs).map(([name, spec]) => [
      name,
      spec.kind === "artifact" ? new ArtifactPlaceholders("outputs", name) : new Placeholder(`{{$.outputs.parameters['${name}'].output_file}}`),
    ]),
  );
  return {
    inputs: inputPlaceholders as InputPlaceholders<I>,
    outputs: outputPlaceholders as OutputPlaceholders<O>,
    executorInput: new Placeholder("{{$}}"),
    executorOutputFile: new Placeholder("{{$.outputs.output_file}}"),
    concat: (...items) => new ConcatPlaceholder(items),
    ifPresent: (inputName, then, otherwise) => new IfPresentPlaceholder(inputName, then, otherwise),
  };
}

/**
 * Run-time values the backend substitutes, like the SDK's `dsl.PIPELINE_*_PLACEHOLDER` constants.
 * Pass one as the whole value of a task input (`{ job: system.pipelineJobName }`) or an input
 * default: substitution inside a longer string is not documented for Vertex AI.
 */
export const system = {
  pipelineJobName: "{{$.pipeline_job_name}}",
  pipelineJobResourceName: "{{$.pipeline_job_resource_name}}",
  pipelineJobUuid: "{{$.pipeline_job_uuid}}",
  pipelineTaskName: "{{$.pipeline_task_name}}",
  pipelineTaskUuid: "{{$.pipeline_task_uuid}}",
  pipelineRoot: "{{$.pipeline_root}}",
  pipelineJobCreateTimeUtc: "{{$.pipeline_job_create_time_utc}}",
  pipelineJobScheduleTimeUtc: "{{$.pipeline_job_schedule_time_utc}}",
  projectId: "{{$.pipeline_google_cloud_project_id}}",
  location: "{{$.pipeline_google_cloud_location}}",
  serviceAccount: "{{$.pipeline_service_account}}",
  persistentResourceId: "{{$.pipeline_persistent_resource_id}}",
} as const;
