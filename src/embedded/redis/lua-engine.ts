import { createHash } from 'node:crypto';
import { lauxlib, lua, lualib, to_luastring, type LuaState } from 'fengari';
import { isErrorReply, type Reply, replyError, status } from './resp.js';

/** Runs one Redis command on behalf of a script (the server's data commands only). */
export type ScriptCommandRunner = (name: string, args: string[]) => Reply;

// Redis runs Lua 5.1; fengari is 5.3. Scripts written for Redis use these 5.1 globals.
const PRELUDE = 'unpack = unpack or table.unpack\n';

/**
 * EVAL / EVALSHA on fengari with Redis's conversion rules between Lua values and replies. Scripts run
 * to completion synchronously, so they are atomic with respect to every other command, as in Redis.
 */
export class LuaEngine {
  private readonly scripts = new Map<string, string>();
  private readonly L: LuaState;
  private runner: ScriptCommandRunner | null = null;

  constructor() {
    this.L = lauxlib.luaL_newstate();
    lualib.luaL_openlibs(this.L);
    lauxlib.luaL_dostring(this.L, to_luastring(PRELUDE));
    lua.lua_newtable(this.L);
    lua.lua_pushjsfunction(this.L, (L) => this.call(L, true));
    lua.lua_setfield(this.L, -2, to_luastring('call'));
    lua.lua_pushjsfunction(this.L, (L) => this.call(L, false));
    lua.lua_setfield(this.L, -2, to_luastring('pcall'));
    lua.lua_pushjsfunction(this.L, (L) => this.statusTable(L, 'err'));
    lua.lua_setfield(this.L, -2, to_luastring('error_reply'));
    lua.lua_pushjsfunction(this.L, (L) => this.statusTable(L, 'ok'));
    lua.lua_setfield(this.L, -2, to_luastring('status_reply'));
    lua.lua_setglobal(this.L, to_luastring('redis'));
  }

  load(script: string): string {
    const sha = createHash('sha1').update(script).digest('hex');
    this.scripts.set(sha, script);
    return sha;
  }

  exists(sha: string): boolean {
    return this.scripts.has(sha.toLowerCase());
  }

  flush(): void {
    this.scripts.clear();
  }

  evalSha(sha: string, keys: string[], argv: string[], runner: ScriptCommandRunner): Reply {
    const script = this.scripts.get(sha.toLowerCase());
    if (script === undefined) return replyError('NOSCRIPT No matching script. Please use EVAL.');
    return this.eval(script, keys, argv, runner);
  }

  eval(script: string, keys: string[], argv: string[], runner: ScriptCommandRunner): Reply {
    this.load(script);
    const L = this.L;
    this.setArray('KEYS', keys);
    this.setArray('ARGV', argv);
    if (lauxlib.luaL_loadstring(L, to_luastring(script)) !== lua.LUA_OK) {
      const message = lua.lua_tojsstring(L, -1);
      lua.lua_settop(L, 0);
      return replyError(`ERR Error compiling script: ${message}`);
    }
    this.runner = runner;
    try {
      if (lua.lua_pcall(L, 0, 1, 0) !== lua.LUA_OK) {
        const message = this.errorMessage(L);
        return replyError(message.startsWith('ERR') || /^[A-Z]+ /.test(message) ? message : `ERR Error running script: ${message}`);
      }
      return this.toReply(L, -1);
    } finally {
      this.runner = null;
      lua.lua_settop(L, 0);
    }
  }

  private setArray(name: string, values: string[]): void {
    lua.lua_createtable(this.L, values.length, 0);
    values.forEach((value, i) => {
      lua.lua_pushstring(this.L, to_luastring(value));
      lua.lua_seti(this.L, -2, i + 1);
    });
    lua.lua_setglobal(this.L, to_luastring(name));
  }

  private errorMessage(L: LuaState): string {
    if (lua.lua_type(L, -1) === lua.LUA_TTABLE) {
      lua.lua_getfield(L, -1, to_luastring('err'));
      return lua.lua_tojsstring(L, -1) ?? 'ERR script error';
    }
    return lua.lua_tojsstring(L, -1) ?? 'ERR script error';
  }

  private call(L: LuaState, raise: boolean): number {
    const args: string[] = [];
    for (let i = 1; i <= lua.lua_gettop(L); i += 1) {
      const type = lua.lua_type(L, i);
      if (type === lua.LUA_TNUMBER) args.push(formatNumber(lua.lua_tonumber(L, i)));
      else if (type === lua.LUA_TSTRING) args.push(lua.lua_tojsstring(L, i));
      else return this.fail(L, raise, 'ERR Lua redis lib command arguments must be strings or integers');
    }
    if (args.length === 0 || !this.runner) return this.fail(L, raise, 'ERR Please specify at least one argument for this redis lib call');
    const reply = this.runner(args[0].toLowerCase(), args.slice(1));
    if (isErrorReply(reply)) return this.fail(L, raise, reply.value);
    lua.lua_settop(L, 0);
    this.push(L, reply);
    return 1;
  }

  private fail(L: LuaState, raise: boolean, message: string): number {
    lua.lua_settop(L, 0);
    lua.lua_createtable(L, 0, 1);
    lua.lua_pushstring(L, to_luastring(message));
    lua.lua_setfield(L, -2, to_luastring('err'));
    return raise ? lua.lua_error(L) : 1;
  }

  private statusTable(L: LuaState, field: 'ok' | 'err'): number {
    const text = lua.lua_tojsstring(L, 1);
    lua.lua_settop(L, 0);
    lua.lua_createtable(L, 0, 1);
    lua.lua_pushstring(L, to_luastring(text));
    lua.lua_setfield(L, -2, to_luastring(field));
    return 1;
  }

  private push(L: LuaState, reply: Reply): void {
    if (reply === null) lua.lua_pushboolean(L, false);
    else if (typeof reply === 'number') lua.lua_pushinteger(L, reply);
    else if (typeof reply === 'string') lua.lua_pushstring(L, to_luastring(reply));
    else if (Buffer.isBuffer(reply)) lua.lua_pushstring(L, new Uint8Array(reply));
    else if (Array.isArray(reply)) {
      lua.lua_createtable(L, reply.length, 0);
      (reply as Reply[]).forEach((item, i) => {
        this.push(L, item);
        lua.lua_seti(L, -2, i + 1);
      });
    } else {
      const { kind, value } = reply as { kind: string; value: string };
      lua.lua_createtable(L, 0, 1);
      lua.lua_pushstring(L, to_luastring(value));
      lua.lua_setfield(L, -2, to_luastring(kind === 'status' ? 'ok' : 'err'));
    }
  }

  private toReply(L: LuaState, index: number): Reply {
    const type = lua.lua_type(L, index);
    if (type === lua.LUA_TNUMBER) return Math.trunc(lua.lua_tonumber(L, index));
    if (type === lua.LUA_TSTRING) return lua.lua_tojsstring(L, index);
    if (type === lua.LUA_TBOOLEAN) return lua.lua_toboolean(L, index) ? 1 : null;
    if (type !== lua.LUA_TTABLE) return null;
    const top = lua.lua_gettop(L);
    const abs = index < 0 ? top + index + 1 : index;
    for (const field of ['err', 'ok'] as const) {
      if (lua.lua_getfield(L, abs, to_luastring(field)) === lua.LUA_TSTRING) {
        const text = lua.lua_tojsstring(L, -1);
        lua.lua_settop(L, top);
        return field === 'err' ? replyError(text) : status(text);
      }
      lua.lua_settop(L, top);
    }
    const items: Reply[] = [];
    for (let i = 1; ; i += 1) {
      if (lua.lua_geti(L, abs, i) === lua.LUA_TNIL) break;
      items.push(this.toReply(L, -1));
      lua.lua_settop(L, top);
    }
    lua.lua_settop(L, top);
    return items;
  }
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? n.toFixed(0) : String(n);
}
