import * as pulumi from "@pulumi/pulumi";

/**
 * Options for a component's children: parented to it, and ordered after whatever the component
 * depends on (plus `extra`). Pulumi does not pass a component's `dependsOn` on to its children,
 * so an API enablement the component waits for would otherwise race the children that call it.
 */
export function childOf(parent: pulumi.ComponentResource, opts?: pulumi.ComponentResourceOptions, ...extra: pulumi.Resource[]): pulumi.CustomResourceOptions {
  const inherited = opts?.dependsOn;
  if (inherited === undefined && extra.length === 0) return { parent };
  if (inherited === undefined) return { parent, dependsOn: extra };
  if (Array.isArray(inherited)) return { parent, dependsOn: [...inherited, ...extra] };
  if (pulumi.Resource.isInstance(inherited)) return { parent, dependsOn: [inherited, ...extra] };
  // An output of resources cannot be merged without unwrapping the resources' own outputs.
  throw new Error(`${parent.constructor.name}: pass dependsOn as a plain list of resources`);
}
