import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

export interface ProjectApisArgs {
  /** Project to enable the APIs in. */
  readonly project: string;
  /** Service names, e.g. `aiplatform.googleapis.com`. Duplicates are ignored; order does not matter. */
  readonly services: readonly string[];
}

/**
 * Enables the Google APIs a stack needs. Other components depend on the services they call
 * (`apis.dependOn(...)`), so the engine orders enablement before first use.
 */
export class ProjectApis extends pulumi.ComponentResource {
  public readonly services: Readonly<Record<string, gcp.projects.Service>>;

  constructor(name: string, args: ProjectApisArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:platform:ProjectApis", name, {}, opts);
    const services: Record<string, gcp.projects.Service> = {};
    for (const service of [...new Set(args.services)].sort()) {
      services[service] = new gcp.projects.Service(
        `${name}-${service.replace(/\.googleapis\.com$/, "")}`,
        {
          project: args.project,
          service,
          // Turning an API off on `pulumi destroy` breaks anything else in the project that uses it.
          disableOnDestroy: false,
          disableDependentServices: false,
        },
        { parent: this },
      );
    }
    this.services = services;
    this.registerOutputs({ services: Object.keys(services) });
  }

  /** The enablement resources for these APIs, to use in `dependsOn`. Unknown names are a programming error. */
  dependOn(...names: string[]): gcp.projects.Service[] {
    return names.map((n) => {
      const service = this.services[n];
      if (!service) throw new Error(`API ${n} is not enabled by ${this.constructor.name}; add it to the stack's API list`);
      return service;
    });
  }
}
