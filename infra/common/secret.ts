import { inspect } from "node:util";
import type * as pulumi from "@pulumi/pulumi";

const MASK = "[secret]";

/**
 * A value read from a `secure:` config key. Pulumi hands the program every config value as a
 * plain string (`pulumi.runtime.allConfig()`), already decrypted, and knows secrecy only per
 * top-level key; so the schema wraps each secret field in this holder the moment it is parsed.
 * It prints, logs and serialises as "[secret]" (JSON, template strings, `console.log`), and the
 * only way out is `toOutput()`, a Pulumi secret: state encrypts it and previews mask it.
 */
export class Secret {
  // A private field, not a property: spreading or JSON-encoding the holder cannot reach it.
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The value as a Pulumi secret output: the one place it becomes a resource input. */
  toOutput(): pulumi.Output<string> {
    // Loaded here, not at the top: config is parsed (and may be rejected) before the SDK loads.
    const sdk: typeof pulumi = require("@pulumi/pulumi");
    return sdk.secret(this.#value);
  }

  toJSON(): string {
    return MASK;
  }

  toString(): string {
    return MASK;
  }

  [inspect.custom](): string {
    return `Secret(${MASK})`;
  }
}
