/** The credentials the guard can authenticate (one authenticator per kind, registered by its domain). */
export type AuthKind = 'agent' | 'apiKey' | 'operator' | 'member';
