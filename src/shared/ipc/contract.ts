/**
 * The IPC contract: every channel is declared here once, with its namespaced name, its request
 * and response validators (the types follow from them), and every event the main process pushes.
 * The router registers exactly these channels; the preload exposes exactly these verbs.
 */
import { z } from 'zod';
import {
  absolutePathSchema,
  appInfoSchema,
  openedProjectSchema,
  projectNameSchema,
  projectSummarySchema,
  recentProjectSchema,
} from '../dto';

const none = z.undefined();

export const requests = {
  'app:info': { request: none, response: appInfoSchema },
  'projects:create': {
    request: z.object({ parentDir: absolutePathSchema, name: projectNameSchema }).strict(),
    response: projectSummarySchema,
  },
  'projects:open': { request: z.object({ dir: absolutePathSchema }).strict(), response: openedProjectSchema },
  'projects:recent': { request: none, response: z.array(recentProjectSchema) },
  'projects:forget': { request: z.object({ dir: absolutePathSchema }).strict(), response: z.array(recentProjectSchema) },
  'dialog:pickFolder': {
    request: z.object({ purpose: z.enum(['open-project', 'project-location']) }).strict(),
    response: z.object({ path: z.string().nullable() }),
  },
  'shell:openExternal': { request: z.object({ url: z.string().max(2048) }).strict(), response: z.object({ opened: z.boolean() }) },
} as const;

export const events = {
  'projects:changed': z.object({ dir: z.string() }),
} as const;

export type RequestChannel = keyof typeof requests;
export type EventChannel = keyof typeof events;
export type RequestOf<C extends RequestChannel> = z.input<(typeof requests)[C]['request']>;
export type ResponseOf<C extends RequestChannel> = z.output<(typeof requests)[C]['response']>;
export type EventPayloadOf<E extends EventChannel> = z.output<(typeof events)[E]>;

export const requestChannels = Object.keys(requests) as RequestChannel[];
export const eventChannels = Object.keys(events) as EventChannel[];
