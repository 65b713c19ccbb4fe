// The client @hey-api/openapi-ts writes (fetch client), against `orux mock`
// (typescript.py starts it and sets ORUX_BASE_URL and ORUX_API_KEY): a Veo
// request with a task reference as its image is submitted, polled to
// success with result URLs; an unknown task id is a typed 404.

import { createClient } from "./orux-hey-api/client/index.js";
import { createTask, getTask } from "./orux-hey-api/index.js";
import type { TaskStatusResponse } from "./orux-hey-api/index.js";

const client = createClient({
  baseUrl: process.env.ORUX_BASE_URL,
  headers: { Authorization: `Bearer ${process.env.ORUX_API_KEY}` },
});

function check(what: string, ok: boolean, detail: unknown): void {
  if (!ok) {
    console.error(`FAIL ${what}: ${JSON.stringify(detail)}`);
    process.exitCode = 1;
  }
}

const submitted = await createTask({
  client,
  body: { model: "veo-3.1-fast", prompt: "A fox", image: { task_id: "img_1" } },
  headers: { "idempotency-key": crypto.randomUUID() },
});
check("submit answers 200", submitted.response.status === 200, submitted.error);
const taskId = submitted.data?.task_id ?? "";

let status: TaskStatusResponse | undefined;
for (let poll = 0; poll < 100; poll++) {
  status = (await getTask({ client, path: { task_id: taskId } })).data;
  if (status && ["success", "failed", "expired"].includes(status.status.toLowerCase())) break;
  await new Promise((done) => setTimeout(done, 100));
}
check("the task succeeds", status?.status === "success", status);
check("with result URLs", (status?.result_urls?.length ?? 0) > 0, status);

const unknown = await getTask({ client, path: { task_id: "task_01HZZZZZZZZZZZZZZZZZZZZZZZ" } });
check("an unknown id is a 404", unknown.response.status === 404, unknown.error);
check("with the error body", unknown.error?.error.code === "not_found", unknown.error);

const rejected = await createTask({ client, body: { model: "sora2", prompt: "" } });
check("a rejected body is a 400", rejected.response.status === 400, rejected.error);
check("naming the field", rejected.error?.error.errors?.[0]?.path === "/prompt", rejected.error);

if (process.exitCode !== 1) console.log("hey-api: submitted, polled to success, typed errors");
