// Requests typed with the types json-schema-to-typescript generates from the
// bundle, checked by `tsc --strict` (run.sh). The valid ones must compile; each
// invalid one is marked `// @ts-expect-error`, which tsc itself reports as an
// error if the line compiles. Every invalid request differs from a valid one
// above it in one place, so it fails for that reason.

import type { Sora2Request, TaskRequest } from "orux-models";

export const valid: TaskRequest[] = [
  { model: "sora2", prompt: "A paper boat on a rainy street" },
  { model: "sora2", prompt: "A paper boat", duration: 10, aspect_ratio: "9:16" },
  {
    model: "veo-3.1-quality",
    prompt: "A drone shot flying over Tokyo at sunset, cinematic",
    duration: 8,
    resolution: "1080p",
    webhook_url: "https://your.app/webhooks/orux",
  },
  { model: "veo-3.1-fast", prompt: "A fox", image: "https://example.com/frames/start.png" },
  { model: "veo-3.1-fast", prompt: "A fox", image: { task_id: "img_01HZX9" } },
  { model: "veo-3.1-quality", prompt: "A fox", audio: false, aspect_ratio: "1:1" },
  {
    model: "hailuo-02",
    prompt: "[Tracking Shot, Pan Right] A skateboarder weaves through a rainy night market.",
    duration: 6,
  },
  {
    model: "kling-v21-master-i2v",
    prompt: "A slow pan",
    image_url: "https://example.com/frames/start.png",
  },
  { model: "topaz-upscale", video_url: "https://example.com/clips/source.mp4", target_resolution: "4k" },
  {
    model: "infinitalk-audio",
    driver_audio_url: "https://example.com/audio/voice.mp3",
    driver_image_url: "https://example.com/frames/character.png",
  },
];

// One model's type on its own.
export const sora: Sora2Request = { model: "sora2", prompt: "A paper boat", duration: 5 };

// The example: Sora 2 has no square format (and this body lacks a prompt).
// @ts-expect-error
export const squareSora: TaskRequest = { model: "sora2", aspect_ratio: "1:1" };

// @ts-expect-error: 1:1 is not a Sora 2 aspect ratio (the prompt is there).
export const squareSoraWithPrompt: TaskRequest = { model: "sora2", prompt: "A paper boat", aspect_ratio: "1:1" };

// @ts-expect-error: Sora 2 takes 5 or 10 seconds.
export const soraEight: TaskRequest = { model: "sora2", prompt: "A paper boat", duration: 8 };

// @ts-expect-error: durations are numbers, not strings.
export const soraStringDuration: TaskRequest = { model: "sora2", prompt: "A paper boat", duration: "10" };

// @ts-expect-error: Sora 2 has no `resolution`.
export const soraResolution: TaskRequest = { model: "sora2", prompt: "A paper boat", resolution: "1080p" };

// @ts-expect-error: the prompt is required.
export const soraNoPrompt: Sora2Request = { model: "sora2" };

// @ts-expect-error: not a model id (the docs' shared table names it; no model has it).
export const unknownModel: TaskRequest = { model: "sora-2-pro", prompt: "A paper boat" };

// @ts-expect-error: Veo 3.1 is fixed at 8 seconds.
export const veoFive: TaskRequest = { model: "veo-3.1-quality", prompt: "A fox", duration: 5 };

// @ts-expect-error: 4k is not a Veo resolution.
export const veo4k: TaskRequest = { model: "veo-3.1-quality", prompt: "A fox", resolution: "4k" };

// @ts-expect-error: audio is a boolean.
export const veoAudioText: TaskRequest = { model: "veo-3.1-quality", prompt: "A fox", audio: "yes" };

// @ts-expect-error: a task reference has only `task_id`, a string.
export const veoTaskNumber: TaskRequest = { model: "veo-3.1-fast", prompt: "A fox", image: { task_id: 5 } };

// @ts-expect-error: a task reference has no other key.
export const veoTaskExtra: TaskRequest = { model: "veo-3.1-fast", prompt: "A fox", image: { task_id: "img_1", url: "x" } };

// @ts-expect-error: Kling 2.1 image-to-video needs `image_url`.
export const klingNoImage: TaskRequest = { model: "kling-v21-master-i2v", prompt: "A slow pan" };

// @ts-expect-error: Kling takes `image_url`, not `image`.
export const klingImage: TaskRequest = { model: "kling-v21-master-i2v", prompt: "A slow pan", image_url: "https://example.com/a.png", image: "https://example.com/a.png" };

// @ts-expect-error: Topaz takes no prompt.
export const topazPrompt: TaskRequest = { model: "topaz-upscale", video_url: "https://example.com/clips/source.mp4", prompt: "sharper" };

// @ts-expect-error: 720p is not an upscale target.
export const topaz720: TaskRequest = { model: "topaz-upscale", video_url: "https://example.com/clips/source.mp4", target_resolution: "720p" };

// @ts-expect-error: null is never a value.
export const soraNullDuration: TaskRequest = { model: "sora2", prompt: "A paper boat", duration: null };
