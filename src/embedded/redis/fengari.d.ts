// The subset of fengari (a Lua 5.3 VM in JavaScript, untyped on npm) that the embedded Redis uses.
declare module 'fengari' {
  export type LuaState = { readonly __luaState: unique symbol };
  export function to_luastring(text: string): Uint8Array;
  export function to_jsstring(bytes: Uint8Array): string;
  export const lua: {
    LUA_OK: number;
    LUA_TNIL: number;
    LUA_TBOOLEAN: number;
    LUA_TNUMBER: number;
    LUA_TSTRING: number;
    LUA_TTABLE: number;
    lua_gettop(L: LuaState): number;
    lua_settop(L: LuaState, index: number): void;
    lua_type(L: LuaState, index: number): number;
    lua_toboolean(L: LuaState, index: number): boolean;
    lua_tonumber(L: LuaState, index: number): number;
    lua_tojsstring(L: LuaState, index: number): string;
    lua_isinteger(L: LuaState, index: number): boolean;
    lua_pushnil(L: LuaState): void;
    lua_pushboolean(L: LuaState, value: boolean): void;
    lua_pushinteger(L: LuaState, value: number): void;
    lua_pushnumber(L: LuaState, value: number): void;
    lua_pushstring(L: LuaState, value: Uint8Array): void;
    lua_pushjsfunction(L: LuaState, fn: (L: LuaState) => number): void;
    lua_createtable(L: LuaState, narr: number, nrec: number): void;
    lua_newtable(L: LuaState): void;
    lua_setfield(L: LuaState, index: number, key: Uint8Array): void;
    lua_getfield(L: LuaState, index: number, key: Uint8Array): number;
    lua_seti(L: LuaState, index: number, n: number): void;
    lua_geti(L: LuaState, index: number, n: number): number;
    lua_setglobal(L: LuaState, name: Uint8Array): void;
    lua_error(L: LuaState): number;
    lua_pcall(L: LuaState, nargs: number, nresults: number, errfunc: number): number;
  };
  export const lauxlib: {
    luaL_newstate(): LuaState;
    luaL_loadstring(L: LuaState, code: Uint8Array): number;
    luaL_dostring(L: LuaState, code: Uint8Array): number;
  };
  export const lualib: { luaL_openlibs(L: LuaState): void };
}
