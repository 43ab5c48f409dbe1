import { inspect } from "node:util";
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

const MASK = "[secret]";

/**
 * A `secure:` config value. Pulumi hands the program every config value as a plain string
 * (`pulumi.runtime.allConfig()`), already decrypted, and knows secrecy only per top-level key; so
 * the settings layer wraps each secure value in this holder before the schema sees it (it knows
 * where each one is: infra/settings/secrets.ts). It prints, logs and serialises as "[secret]"
 * (JSON, template strings, `console.log`), and the only way out is `toOutput()`, a Pulumi secret:
 * state encrypts it and previews mask it.
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

  /** Whether the value is empty: the one fact about it a configuration rule may read. */
  isEmpty(): boolean {
    return this.#value.length === 0;
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

// Schemas whose value may be a secure value. Anywhere else a `secure:` value is a mistake
// ("this key is not a secret"): the settings layer looks schemas up here by key path.
const SECRET_CAPABLE = new WeakSet<object>();

/** Marks a schema as one that takes secure values (a credential, or a value that may be secret). */
export function acceptsSecret<T extends z.ZodType>(schema: T): T {
  SECRET_CAPABLE.add(schema);
  return schema;
}

export function isSecretCapable(schema: unknown): boolean {
  return typeof schema === "object" && schema !== null && SECRET_CAPABLE.has(schema);
}

/** Issue params of a credential written in plain text; the settings layer words the message with the key path. */
export interface CredentialIssueParams {
  readonly credential: string;
}

/**
 * A credential: it must be a `secure:` value. A plaintext one would be committed in clear, so
 * it is refused, and the message (built with the key path by the settings layer) never quotes it.
 */
export function credentialSchema(what: string) {
  return acceptsSecret(
    z
      .unknown()
      .superRefine((value, ctx) => {
        if (value instanceof Secret) {
          if (value.isEmpty()) ctx.addIssue({ code: "custom", message: `the ${what} is empty`, params: { credential: what } satisfies CredentialIssueParams });
          return;
        }
        if (value === undefined) {
          ctx.addIssue({ code: "custom", message: `the ${what} is missing`, params: { credential: what } satisfies CredentialIssueParams });
          return;
        }
        ctx.addIssue({ code: "custom", message: `the ${what} is not a secure value, and a credential in plain text would be committed in clear`, params: { credential: what } satisfies CredentialIssueParams });
      })
      .transform((value) => value as Secret),
  );
}

/** A string that may also be a secure value (a container's environment variable). */
export function maybeSecretString(what: string) {
  return acceptsSecret(
    z
      .unknown()
      .superRefine((value, ctx) => {
        if (typeof value !== "string" && !(value instanceof Secret)) ctx.addIssue({ code: "custom", message: `expected ${what}: a string, or a secure value` });
      })
      .transform((value) => value as string | Secret),
  );
}
