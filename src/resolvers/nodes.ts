// How node(id:) and nodes(ids:) load each Node type. src/schema/ declares a Node (builder.node: its
// id, fields and who may see it) without a loader, because loading one calls a service; the
// domain's resolvers file gives the loader here. It becomes the relay plugin's `loadOne` option,
// set on the type's config the way the plugin's own builder.nodeRef() sets it.
import type { ObjectRef, PothosTypeConfig } from '@pothos/core';
import { builder, type BuilderTypes } from '../schema/builder.js';
import type { GraphQLContext } from '../schema/context.js';

/** Null (or undefined) when there is no such object or the caller may not see it. */
export type NodeLoader<T> = (id: string, ctx: GraphQLContext) => Promise<T | null | undefined> | T | null | undefined;

export function loadNodeWith<T>(ref: ObjectRef<BuilderTypes, T>, loadOne: NodeLoader<T>): void {
  builder.configStore.onTypeConfig(ref, (_config, implementor) => {
    implementor.updateConfig((config: PothosTypeConfig) => {
      const options = config.pothosOptions as { loadOne?: unknown };
      if (config.kind !== 'Object' || !('pothosParseGlobalID' in (config.extensions ?? {}))) {
        throw new Error(`${config.name} is not a Node: declare it with builder.node in src/schema/.`);
      }
      if (options.loadOne) throw new Error(`${config.name} already has a node loader.`);
      return { ...config, pothosOptions: { ...config.pothosOptions, loadOne } } as PothosTypeConfig;
    });
  });
}
