/**
 * A kubeconfig like the one `gcloud container clusters get-credentials` writes: the endpoint and
 * CA from the cluster, and credentials from `gke-gcloud-auth-plugin`, which mints short-lived
 * tokens from the caller's Google credentials. It holds no secret, so it is safe in state and
 * plans; whoever runs `pulumi up` needs the plugin on PATH and `container.clusters.get`.
 */
export function kubeconfig(args: { readonly name: string; readonly endpoint: string; readonly caCertificate: string }): string {
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: args.name, cluster: { server: `https://${args.endpoint}`, "certificate-authority-data": args.caCertificate } }],
    contexts: [{ name: args.name, context: { cluster: args.name, user: args.name } }],
    "current-context": args.name,
    users: [
      {
        name: args.name,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "gke-gcloud-auth-plugin",
            installHint: "Install gke-gcloud-auth-plugin: https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin",
            provideClusterInfo: true,
          },
        },
      },
    ],
  };
  return JSON.stringify(config);
}
