/**
 * Container images of the mission pipelines, pinned by digest so every run executes the same
 * bytes (the compiler rejects tags).
 *
 * PLACEHOLDERS: these digests are derived from the image names, not from published images.
 * Replace each with the digest the project's image build reports for the real image, e.g.
 * `gcloud artifacts docker images describe <image>:<tag> --format='value(image_summary.digest)'`.
 */

const REGISTRY = "us-docker.pkg.dev/llmops-images/llmops";

export const IMAGES = {
  /** BigQuery export and JSONL splitting. */
  dataTools: `${REGISTRY}/data-tools@sha256:a265b7eca5610128b5339bd55d058e8494301cd6ba8df0212d014b8a986deb2b`,
  /** Vertex AI tuning-job client (Gemini supervised tuning) and LoRA job planning. */
  tuner: `${REGISTRY}/tuner@sha256:6923fe502e9af1d2b9397c40b35d227dc9ab132feefa9c5814c8b254a12e5cce`,
  /** LoRA fine-tuning of open models (Gemma), run as the worker of a Vertex AI CustomJob. */
  loraTrainer: `${REGISTRY}/lora-trainer@sha256:2645f3f92eb9f33426c80749ca0082aa26ef56c432e8ce29a1feb28808fba1ba`,
  /** Generates answers for the held-out split and scores them. */
  evaluator: `${REGISTRY}/evaluator@sha256:90fc3ba0eb2a1f698f969bd380d1abf9dc13ad534e64779e3626c93db4b12d68`,
  /** Vertex AI Model Registry client (upload with parent model, version aliases). */
  modelRegistry: `${REGISTRY}/model-registry@sha256:47d46460c06ed19fa549d32fce0aae1b38724bb7dc30aca5125c20e40794fe73`,
  /** Prompt rendering and Vertex AI batch prediction jobs. */
  batchPredictor: `${REGISTRY}/batch-predictor@sha256:57e2c3b1f343fb8395cf5b9c5bbad5db7cd62d3c08f8a93e391cb5a848bd14eb`,
  /** Publishes a run's final status (exit handler). */
  runReporter: `${REGISTRY}/run-reporter@sha256:d44b5415124978156275bd4d881da3d72da299138a4efcfa840f9b4ecb5b313c`,
  /** Google Cloud Pipeline Components 2.22.0 (the CustomJob launcher). */
  gcpc: "gcr.io/ml-pipeline/google-cloud-pipeline-components@sha256:5083078a754263c5214a236c23e71de2c5f8646aae145e324ebf262f23df373b",
} as const;
