/**
 * Google Cloud Pipeline Components' `CustomTrainingJobOp` (GCPC 2.22.0,
 * `v1.custom_job.CustomTrainingJobOp`), reproduced with the interface and launcher arguments the
 * SDK compiles it to: the route to large GPU and TPU machines from a pipeline, with the machine
 * spec given per run inside `worker_pool_specs`. Verified byte-for-byte against
 * `shared/kfp/samples/pipeline_with_condition_dynamic_task_output_custom_training_job.yaml`.
 */

import { component, param, system } from "../../dsl";

/** `gcp_resources` tracks the CustomJob; the job's own outputs go under `base_output_directory`. */
export function customTrainingJob(image: string) {
  return component({
    name: "custom_training_job",
    image,
    inputs: {
      base_output_directory: param.string({
        default: "",
        description:
          "The Cloud Storage location to store the output of this CustomJob or HyperparameterTuningJob. See [more information ](https://cloud.google.com/vertex-ai/docs/reference/rest/v1/GcsDestination).",
      }),
      display_name: param.string({ description: "The name of the CustomJob." }),
      enable_web_access: param.boolean({
        default: false,
        description:
          "Whether you want Vertex AI to enable [interactive shell access ](https://cloud.google.com/vertex-ai/docs/training/monitor-debug-interactive-shell) to training containers. If `True`, you can access interactive shells at the URIs given by [CustomJob.web_access_uris][].",
      }),
      encryption_spec_key_name: param.string({
        default: "",
        description:
          "Customer-managed encryption key options for the CustomJob. If this is set, then all resources created by the CustomJob will be encrypted with the provided encryption key.",
      }),
      labels: param.struct({
        default: {},
        description: "The labels with user-defined metadata to organize the CustomJob. See [more information](https://goo.gl/xmQnxf).",
      }),
      location: param.string({
        default: system.location,
        description: "Location for creating the custom training job. If not set, default to the location where the PipelineJob is run.",
      }),
      max_wait_duration: param.string({
        default: "86400s",
        description:
          "The maximum time to wait for the custom training job to be scheduled only if the scheduling strategy is set to FLEX_START. If set to 0, the job will wait indefinitely. The default is 24 hours. See [more information](https://cloud.google.com/vertex-ai/docs/reference/rest/v1/CustomJobSpec#Strategy).",
      }),
      network: param.string({
        default: "",
        description:
          "The full name of the Compute Engine network to which the job should be peered. For example, `projects/12345/global/networks/myVPC`. Format is of the form `projects/{project}/global/networks/{network}`. Where `{project}` is a project number, as in `12345`, and `{network}` is a network name. Private services access must already be configured for the network. If left unspecified, the job is not peered with any network.",
      }),
      persistent_resource_id: param.string({
        default: system.persistentResourceId,
        description:
          "The ID of the PersistentResource in the same Project and Location which to run. The default value is a placeholder that will be resolved to the PipelineJob [RuntimeConfig](https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.pipelineJobs#PipelineJob.RuntimeConfig)'s persistent resource id at runtime. However, if the PipelineJob doesn't set Persistent Resource as the job level runtime, the placedholder will be resolved to an empty string and the custom job will be run on demand. If the value is set explicitly, the custom job will runs in the specified persistent resource, in this case, please note the network and CMEK configs on the job should be consistent with those on the PersistentResource, otherwise, the job will be rejected.",
      }),
      project: param.string({
        default: system.projectId,
        description: "Project to create the custom training job in. Defaults to the project in which the PipelineJob is run.",
      }),
      psc_interface_config: param.struct({
        default: {},
        description: "Configuration CustomJob with PSC-I. See [more information](https://cloud.google.com/vertex-ai/docs/reference/rest/v1/CustomJobSpec#PscInterfaceConfig).",
      }),
      reserved_ip_ranges: param.list({
        default: [],
        description:
          "A list of names for the reserved IP ranges under the VPC network that can be used for this job. If set, we will deploy the job within the provided IP ranges. Otherwise, the job will be deployed to any IP ranges under the provided VPC network.",
      }),
      restart_job_on_worker_restart: param.boolean({
        default: false,
        description:
          "Restarts the entire CustomJob if a worker gets restarted. This feature can be used by distributed training jobs that are not resilient to workers leaving and joining a job.",
      }),
      service_account: param.string({
        default: "",
        description:
          "Sets the default service account for workload run-as account. The [service account ](https://cloud.google.com/vertex-ai/docs/pipelines/configure-project#service-account) running the pipeline submitting jobs must have act-as permission on this run-as account. If unspecified, the Vertex AI Custom Code [Service Agent ](https://cloud.google.com/vertex-ai/docs/general/access-control#service-agents) for the CustomJob's project.",
      }),
      strategy: param.string({
        default: "STANDARD",
        description: "The strategy to use for the custom training job. The default is 'STANDARD'. See [more information](https://cloud.google.com/vertex-ai/docs/reference/rest/v1/CustomJobSpec#Strategy).",
      }),
      tensorboard: param.string({
        default: "",
        description: "The name of a Vertex AI TensorBoard resource to which this CustomJob will upload TensorBoard logs.",
      }),
      timeout: param.string({
        default: "604800s",
        description: 'The maximum job running time. The default is 7 days. A duration in seconds with up to nine fractional digits, terminated by \'s\', for example: "3.5s".',
      }),
      worker_pool_specs: param.list({
        items: "STRUCT",
        default: [],
        description:
          "Serialized json spec of the worker pools including machine type and Docker image. All worker pools except the first one are optional and can be skipped by providing an empty value. See [more information](https://cloud.google.com/vertex-ai/docs/reference/rest/v1/CustomJobSpec#WorkerPoolSpec).",
      }),
    },
    outputs: {
      gcp_resources: param.string({
        description:
          "Serialized JSON of `gcp_resources` [proto](https://github.com/kubeflow/pipelines/tree/master/components/google-cloud/google_cloud_pipeline_components/proto) which tracks the CustomJob.",
      }),
    },
    command: ["python3", "-u", "-m", "google_cloud_pipeline_components.container.v1.custom_job.launcher"],
    args: ({ inputs, outputs }) => [
      "--type",
      "CustomJob",
      "--payload",
      // The launcher parses this as JSON after substitution: strings are quoted, the rest inlined.
      `{"display_name": "${inputs.display_name}", "job_spec": {"worker_pool_specs": ${inputs.worker_pool_specs}, "scheduling": {"timeout": "${inputs.timeout}", "restart_job_on_worker_restart": ${inputs.restart_job_on_worker_restart}, "strategy": "${inputs.strategy}", "max_wait_duration": "${inputs.max_wait_duration}"}, "service_account": "${inputs.service_account}", "tensorboard": "${inputs.tensorboard}", "enable_web_access": ${inputs.enable_web_access}, "network": "${inputs.network}", "reserved_ip_ranges": ${inputs.reserved_ip_ranges}, "base_output_directory": {"output_uri_prefix": "${inputs.base_output_directory}"}, "persistent_resource_id": "${inputs.persistent_resource_id}", "psc_interface_config": ${inputs.psc_interface_config}}, "labels": ${inputs.labels}, "encryption_spec": {"kms_key_name": "${inputs.encryption_spec_key_name}"}}`,
      "--project",
      inputs.project,
      "--location",
      inputs.location,
      "--gcp_resources",
      outputs.gcp_resources,
    ],
  });
}
