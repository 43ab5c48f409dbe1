import { describeReadme } from "../helpers/readme-suite";

// Each example is a fragment of a stack file laid over test/fixtures/Pulumi.fixture.yaml.
describeReadme("infra/platform/README.md", "platform");
