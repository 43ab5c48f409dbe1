import type * as pulumi from "@pulumi/pulumi";

/**
 * The resource-side `Args` of a provider's plain input type: every property, list element and
 * nested property accepts a `pulumi.Input`, which the dynamic resource resolves before calling the
 * provider. Deriving it keeps one source of truth (and its TSDoc) per input.
 */
export type InputsOf<T> = { readonly [K in keyof T]: LiftedValue<T[K]> };

type LiftedValue<V> = pulumi.Input<V extends readonly (infer U)[] ? readonly LiftedValue<U>[] : V extends object ? InputsOf<V> : V>;
