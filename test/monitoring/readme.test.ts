import { expect } from "vitest";
import { ofType } from "../../lib/plan";
import { describeReadme } from "../helpers/readme-suite";

// The example's channels hold their secure values only as Pulumi secrets, as the README says.
describeReadme("infra/monitoring/README.md", "monitoring", (_example, plan) => {
  expect(JSON.stringify(plan)).not.toContain("AAABA");
  const secretLabels = ofType(plan, "gcp:monitoring/notificationChannel:NotificationChannel").flatMap((c) => (c.inputs.sensitiveLabels ? [c.inputs.sensitiveLabels] : []));
  expect(secretLabels).toHaveLength(2);
  expect(secretLabels).toEqual(expect.arrayContaining([{ authToken: "[secret]" }, { serviceKey: "[secret]" }]));
});
