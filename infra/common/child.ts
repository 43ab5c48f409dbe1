import type * as pulumi from "@pulumi/pulumi";

/**
 * Options for a component's children: parented to it, and ordered after whatever the component
 * depends on. Pulumi does not pass a component's `dependsOn` on to its children, so an API
 * enablement the component waits for would otherwise race the children that call the API.
 */
export function childOf(parent: pulumi.ComponentResource, opts?: pulumi.ComponentResourceOptions): pulumi.CustomResourceOptions {
  return opts?.dependsOn ? { parent, dependsOn: opts.dependsOn } : { parent };
}
