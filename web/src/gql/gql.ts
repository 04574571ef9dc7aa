/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation SignOut { signOut { revokedSessionCount } }": typeof types.SignOutDocument,
    "\n  subscription LiveWalletUpdated($walletId: ID!, $afterSequence: BigInt) {\n    walletUpdated(walletId: $walletId, afterSequence: $afterSequence) {\n      sequence\n      transaction { id }\n      wallet {\n        id\n        sequence\n        status\n        balance { available { amount currency } posted { amount currency } held { amount currency } }\n      }\n    }\n  }\n": typeof types.LiveWalletUpdatedDocument,
    "\n  query Home {\n    me {\n      id\n      displayName\n      wallets {\n        id\n        currency\n        status\n        sequence\n        balance { available { amount currency } posted { amount currency } held { amount currency } }\n      }\n    }\n  }\n": typeof types.HomeDocument,
    "\n  query RecentActivity($walletId: ID!) {\n    transactions(walletId: $walletId, first: 5) {\n      edges {\n        node { id amount { amount currency } direction status type note createdAt counterparty { displayName } }\n      }\n    }\n  }\n": typeof types.RecentActivityDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message field }\n    }\n  }\n": typeof types.SignInDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message field }\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation RefreshSession($input: RefreshSessionInput!) {\n    refreshSession(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message }\n    }\n  }\n": typeof types.RefreshSessionDocument,
};
const documents: Documents = {
    "mutation SignOut { signOut { revokedSessionCount } }": types.SignOutDocument,
    "\n  subscription LiveWalletUpdated($walletId: ID!, $afterSequence: BigInt) {\n    walletUpdated(walletId: $walletId, afterSequence: $afterSequence) {\n      sequence\n      transaction { id }\n      wallet {\n        id\n        sequence\n        status\n        balance { available { amount currency } posted { amount currency } held { amount currency } }\n      }\n    }\n  }\n": types.LiveWalletUpdatedDocument,
    "\n  query Home {\n    me {\n      id\n      displayName\n      wallets {\n        id\n        currency\n        status\n        sequence\n        balance { available { amount currency } posted { amount currency } held { amount currency } }\n      }\n    }\n  }\n": types.HomeDocument,
    "\n  query RecentActivity($walletId: ID!) {\n    transactions(walletId: $walletId, first: 5) {\n      edges {\n        node { id amount { amount currency } direction status type note createdAt counterparty { displayName } }\n      }\n    }\n  }\n": types.RecentActivityDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message field }\n    }\n  }\n": types.SignInDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message field }\n    }\n  }\n": types.SignUpDocument,
    "\n  mutation RefreshSession($input: RefreshSessionInput!) {\n    refreshSession(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message }\n    }\n  }\n": types.RefreshSessionDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignOut { signOut { revokedSessionCount } }"): (typeof documents)["mutation SignOut { signOut { revokedSessionCount } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveWalletUpdated($walletId: ID!, $afterSequence: BigInt) {\n    walletUpdated(walletId: $walletId, afterSequence: $afterSequence) {\n      sequence\n      transaction { id }\n      wallet {\n        id\n        sequence\n        status\n        balance { available { amount currency } posted { amount currency } held { amount currency } }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription LiveWalletUpdated($walletId: ID!, $afterSequence: BigInt) {\n    walletUpdated(walletId: $walletId, afterSequence: $afterSequence) {\n      sequence\n      transaction { id }\n      wallet {\n        id\n        sequence\n        status\n        balance { available { amount currency } posted { amount currency } held { amount currency } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Home {\n    me {\n      id\n      displayName\n      wallets {\n        id\n        currency\n        status\n        sequence\n        balance { available { amount currency } posted { amount currency } held { amount currency } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Home {\n    me {\n      id\n      displayName\n      wallets {\n        id\n        currency\n        status\n        sequence\n        balance { available { amount currency } posted { amount currency } held { amount currency } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentActivity($walletId: ID!) {\n    transactions(walletId: $walletId, first: 5) {\n      edges {\n        node { id amount { amount currency } direction status type note createdAt counterparty { displayName } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RecentActivity($walletId: ID!) {\n    transactions(walletId: $walletId, first: 5) {\n      edges {\n        node { id amount { amount currency } direction status type note createdAt counterparty { displayName } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshSession($input: RefreshSessionInput!) {\n    refreshSession(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshSession($input: RefreshSessionInput!) {\n    refreshSession(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;