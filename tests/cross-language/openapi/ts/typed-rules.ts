// Requests typed with what the generators write from the OpenAPI document,
// checked by `tsc --strict` (typescript.py): the valid ones compile; each
// invalid one is marked `// @ts-expect-error`, which tsc itself reports as an
// error if the line compiles. Each invalid request differs from a valid one
// in one place, so it fails for that reason. The corpus's valid bodies are
// checked the same way in the corpus-*.ts files typescript.py writes.

import createClient from "openapi-fetch";
import type { paths, ImageInput, Sora2Request, TaskRequest, Veo31FastRequest } from "./orux-api.js";
import type { Sora2Request as HeySora2Request, TaskRequest as HeyTaskRequest } from "./orux-hey-api/index.js";

// openapi-typescript + openapi-fetch.
export const sora: Sora2Request = { model: "sora2", prompt: "A paper boat", duration: 10, aspect_ratio: "9:16" };
export const minimal: TaskRequest = { model: "sora2", prompt: "A paper boat" };
export const images: ImageInput[] = ["https://example.com/a.png", "data:image/png;base64,QUJD", { task_id: "img_1" }];
export const veo: Veo31FastRequest = { model: "veo-3.1-fast", prompt: "A fox", image: { task_id: "img_1" } };

// @ts-expect-error: Sora 2 takes 5 or 10 seconds.
export const soraEight: TaskRequest = { model: "sora2", prompt: "A paper boat", duration: 8 };

// @ts-expect-error: Sora 2 has no square format.
export const soraSquare: TaskRequest = { model: "sora2", prompt: "A paper boat", aspect_ratio: "1:1" };

// @ts-expect-error: Sora 2 has no `resolution` (an unknown field).
export const soraResolution: TaskRequest = { model: "sora2", prompt: "A paper boat", resolution: "1080p" };

// @ts-expect-error: the prompt is required.
export const soraNoPrompt: TaskRequest = { model: "sora2" };

// @ts-expect-error: not a model id.
export const unknownModel: TaskRequest = { model: "sora-2-pro", prompt: "A paper boat" };

// @ts-expect-error: durations are numbers.
export const soraStringDuration: Sora2Request = { model: "sora2", prompt: "A paper boat", duration: "10" };

// @ts-expect-error: a task reference has only `task_id`.
export const veoTaskExtra: TaskRequest = { model: "veo-3.1-fast", prompt: "A fox", image: { task_id: "img_1", url: "x" } };

// @ts-expect-error: Veo 3.1 is fixed at 8 seconds.
export const veoFive: TaskRequest = { model: "veo-3.1-quality", prompt: "A fox", duration: 5 };

// At the call site too.
export async function submitEight(api: ReturnType<typeof createClient<paths>>) {
  // @ts-expect-error: Sora 2 takes 5 or 10 seconds.
  return api.POST("/api/v1/tasks", { body: { model: "sora2", prompt: "A paper boat", duration: 8 } });
}

// @hey-api/openapi-ts.
export const heySora: HeySora2Request = { model: "sora2", prompt: "A paper boat", duration: 10 };
export const heyMinimal: HeyTaskRequest = { model: "sora2", prompt: "A paper boat" };

// @ts-expect-error: Sora 2 takes 5 or 10 seconds.
export const heySoraEight: HeyTaskRequest = { model: "sora2", prompt: "A paper boat", duration: 8 };

// @ts-expect-error: Sora 2 has no square format.
export const heySoraSquare: HeyTaskRequest = { model: "sora2", prompt: "A paper boat", aspect_ratio: "1:1" };

// @ts-expect-error: Sora 2 has no `resolution` (an unknown field).
export const heySoraResolution: HeyTaskRequest = { model: "sora2", prompt: "A paper boat", resolution: "1080p" };
