/** The SDK-compiled samples this project reproduces: `<name>.ts` here is `shared/kfp/samples/<name>.yaml` in the DSL. */
import type { Pipeline } from "../../../pipelines/dsl";
import collectedArtifacts from "./collected_artifacts";
import componentWithPipInstall from "./component_with_pip_install";
import containerIo from "./container_io";
import inputArtifact from "./input_artifact";
import parametersComplex from "./parameters_complex";
import loopsAndConditions from "./pipeline_with_loops_and_conditions";
import pythonicArtifacts from "./pythonic_artifacts_with_list_of_artifacts";
import customTrainingJob from "./pipeline_with_condition_dynamic_task_output_custom_training_job";
import helloWorld from "./hello_world";
import ifElifElse from "./if_elif_else_with_oneof_parameters";
import lightweightPythonFunctions from "./lightweight_python_functions_pipeline";
import withAfter from "./pipeline_with_after";
import withCaching from "./pipeline_with_caching";
import withCondition from "./pipeline_with_condition";
import withEnv from "./pipeline_with_env";
import withExitHandler from "./pipeline_with_exit_handler";
import withImporter from "./pipeline_with_importer";
import withLoops from "./pipeline_with_loops";
import withOutputs from "./pipeline_with_outputs";
import withParallelForPipelineParam from "./pipeline_with_parallelfor_pipeline_param";
import withRetry from "./pipeline_with_retry";
import withTaskFinalStatus from "./pipeline_with_task_final_status";
import twoStep from "./two_step_pipeline";

/** The samples of `shared/kfp/samples-next` (features added later): `<name>.ts` here is `samples-next/<name>.yaml`. */
export const NEXT_SAMPLES: Readonly<Record<string, Pipeline>> = {
  collected_artifacts: collectedArtifacts,
  component_with_pip_install: componentWithPipInstall,
  input_artifact: inputArtifact,
  parameters_complex: parametersComplex,
  pipeline_with_loops_and_conditions: loopsAndConditions,
  pythonic_artifacts_with_list_of_artifacts: pythonicArtifacts,
};

export const SAMPLES: Readonly<Record<string, Pipeline>> = {
  container_io: containerIo,
  hello_world: helloWorld,
  if_elif_else_with_oneof_parameters: ifElifElse,
  lightweight_python_functions_pipeline: lightweightPythonFunctions,
  pipeline_with_after: withAfter,
  pipeline_with_caching: withCaching,
  pipeline_with_condition: withCondition,
  pipeline_with_condition_dynamic_task_output_custom_training_job: customTrainingJob,
  pipeline_with_env: withEnv,
  pipeline_with_exit_handler: withExitHandler,
  pipeline_with_importer: withImporter,
  pipeline_with_loops: withLoops,
  pipeline_with_outputs: withOutputs,
  pipeline_with_parallelfor_pipeline_param: withParallelForPipelineParam,
  pipeline_with_retry: withRetry,
  pipeline_with_task_final_status: withTaskFinalStatus,
  two_step_pipeline: twoStep,
};
