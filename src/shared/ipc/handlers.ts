/** The shape of the code behind each channel. The router validates the request before calling it. */
import type { z } from 'zod';
import type { RequestChannel, ResponseOf, requests } from './contract';

export type ParsedRequestOf<C extends RequestChannel> = z.output<(typeof requests)[C]['request']>;
export type Handler<C extends RequestChannel> = (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
export type Handlers = { [C in RequestChannel]: Handler<C> };
/** Pushes an event to the renderer; the router checks the payload against the contract first. */
export type EmitEvent = <E extends keyof typeof import('./contract').events>(channel: E, payload: z.input<(typeof import('./contract').events)[E]>) => void;
