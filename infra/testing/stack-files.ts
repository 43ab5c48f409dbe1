/**
 * Stack files as the Pulumi CLI reads them: the reader lives in the settings layer (the program
 * reads its own stack file in `pulumi up` to know where its secure values are); the offline
 * renderer, the CLI and the tests import it from here too.
 */
export {
  type ProjectFile,
  type StackFile,
  type Loaded,
  SECRET_PLACEHOLDER,
  listStacks,
  readProjectFile,
  readStackFile,
  stackFileFromText,
  stackFilePath,
  stackNameProblem,
  resolveConfigKey,
  secretInfo,
} from "../settings";
