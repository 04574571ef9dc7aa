// A Pothos plugin that checks every global-id argument (`t.arg.globalID({ for })`, also inside
// input objects and lists, and node/nodes) before the relay plugin decodes it. A malformed id, an
// id of another type, or one of no type this API has is the client's mistake: BAD_USER_INPUT naming
// the argument ("input.walletId"), never the value, and never the relay plugin's own error (a
// PothosValidationError that quotes the id and has no code). Ids that pass are left for the relay
// plugin to decode; whether the object exists and is the caller's is the resolver's NOT_FOUND.
import SchemaBuilder, {
  BasePlugin,
  mapInputFields,
  type InputFieldsMapping,
  type PothosOutputFieldConfig,
  type SchemaTypes,
} from '@pothos/core';
import { isObjectType, type GraphQLSchema } from 'graphql';
import { badUserInput } from '../services/errors.js';
import { parseGlobalId } from '../services/ids.js';

/** The types an id argument accepts; null: any object type of this API that implements Node. */
type Expected = { types: string[] | null };

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      globalIdArguments: GlobalIdArgumentsPlugin<Types>;
    }
  }
}

const pluginName = 'globalIdArguments';
export default pluginName;

/** "a Wallet ID", "a Wallet or User ID", "an ID of this API". */
function expectedIdPhrase(types: string[] | null): string {
  if (!types || types.length === 0) return 'an ID of this API';
  const names = types.length === 1 ? types[0]! : `${types.slice(0, -1).join(', ')} or ${types[types.length - 1]}`;
  return `${/^[AEIO]/.test(names) ? 'an' : 'a'} ${names} ID`;
}

/** The error for an id argument at `path` ("id", "input.walletId", "ids[3]") that is not `expected`. */
const badIdArgument = (path: string, types: string[] | null) =>
  badUserInput(`Argument "${path}" must be ${expectedIdPhrase(types)}.`, path);

function isNodeTypename(schema: GraphQLSchema, typename: string): boolean {
  const type = schema.getType(typename);
  return isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node');
}

function checkId(value: unknown, path: string, expected: Expected, schema: GraphQLSchema): void {
  const decoded = typeof value === 'string' ? parseGlobalId(value) : null;
  const typeOk = decoded && (expected.types ? expected.types.includes(decoded.typename) : isNodeTypename(schema, decoded.typename));
  if (!typeOk) throw badIdArgument(path, expected.types);
}

function checkValue(value: unknown, listDepth: number, path: string, visit: (item: unknown, path: string) => void): void {
  if (value === null || value === undefined) return;
  if (listDepth > 0 && Array.isArray(value)) {
    value.forEach((item, i) => checkValue(item, listDepth - 1, `${path}[${i}]`, visit));
    return;
  }
  visit(value, path);
}

function checkFields<Types extends SchemaTypes>(
  values: Record<string, unknown>,
  mapping: InputFieldsMapping<Types, Expected>,
  prefix: string,
  schema: GraphQLSchema,
): void {
  mapping.forEach((field, name) => {
    const path = prefix ? `${prefix}.${name}` : name;
    checkValue(values[name], field.listDepth, path, (item, itemPath) => {
      if (field.kind === 'InputObject') {
        if (field.fields.map && item && typeof item === 'object')
          checkFields(item as Record<string, unknown>, field.fields.map, itemPath, schema);
      } else if (field.value) {
        checkId(item, itemPath, field.value, schema);
      }
    });
  });
}

export class GlobalIdArgumentsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    const mapping = mapInputFields<Types, Expected>(fieldConfig.args, this.buildCache, (input) => {
      // Set by the relay plugin's t.arg.globalID / globalIDList (and node/nodes, with no `for`).
      const extensions = input.extensions as { isRelayGlobalID?: boolean; relayGlobalIDFor?: { typename: string }[] | null } | undefined;
      if (!extensions?.isRelayGlobalID) return null;
      return { types: extensions.relayGlobalIDFor?.map((t) => t.typename) ?? null };
    });
    if (!mapping) return fieldConfig;
    // First of the field's argument mappers, so it runs before the relay plugin's decoding.
    return {
      ...fieldConfig,
      argMappers: [
        (args, _ctx, info) => {
          checkFields(args, mapping, '', info.schema);
          return args;
        },
        ...fieldConfig.argMappers,
      ],
    };
  }
}

SchemaBuilder.registerPlugin(pluginName, GlobalIdArgumentsPlugin);
