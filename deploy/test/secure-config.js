#!/usr/bin/env node
// Fails when a rendered deployment would serve /v1 without authentication. For each kzgd it finds, it works
// out the configuration kzgd would run with (the mounted config file, then the KZGD_* variables over it, as kzgd
// itself reads them: docs/configuration.md) and requires:
//   auth.enabled true, auth.keys_file an absolute path inside something mounted into the container (for a
//   Kubernetes Secret volume: a key of that Secret), and rate_limit.enabled true;
//   with redis.url set: no password in the URL, and redis.password_file (and cache.mac_key_file while the shared
//   cache is on) mounted the same way as the keys file.
// With auth on, /debug/* needs the admin permission, so that follows. Probes and /metrics stay open.
//
// Usage: node deploy/test/secure-config.js k8s RENDERED.yaml       (kubectl kustomize output)
//        node deploy/test/secure-config.js compose RENDERED.yaml   (docker-compose config output)
// Prints the effective settings of each kzgd and exits 0, or one line per problem and exits 1.
"use strict";

const fs = require("fs");
const path = require("path");
const yaml = require(path.join(__dirname, "k8s", "node_modules", "js-yaml"));

// kzgd's configuration sections (docs/configuration.md). An environment variable is KZGD_, the section in
// capitals, _, the key in capitals: the section list tells where the section's name ends (RATE_LIMIT_ENABLED).
const SECTIONS = ["server", "workers", "limits", "shutdown", "log", "setup", "tls", "auth", "rate_limit", "access",
  "cors", "diagnostics", "tracing", "redis", "cache"];
// kzgd's default config path in the image (deploy/docker/Dockerfile: CMD --config /etc/kzgd/kzgd.yaml).
const IMAGE_CONFIG = "/etc/kzgd/kzgd.yaml";
const IMAGE_CONFIG_SOURCE = path.join(__dirname, "..", "docker", "kzgd.yaml");

function envKey(name) {
  if (!name.startsWith("KZGD_")) return undefined;
  const rest = name.slice(5).toLowerCase();
  const section = SECTIONS.filter((s) => rest.startsWith(`${s}_`)).sort((a, b) => b.length - a.length)[0];
  return section && `${section}.${rest.slice(section.length + 1)}`;
}

// The configuration kzgd would run with: the file's keys, then each KZGD_* variable (read as a YAML value).
function effectiveConfig(fileText, env) {
  const file = yaml.load(fileText || "") || {};
  const config = new Map();
  for (const [section, keys] of Object.entries(file)) {
    for (const [key, value] of Object.entries(keys || {})) config.set(`${section}.${key}`, { value, from: "file" });
  }
  for (const [name, text] of Object.entries(env)) {
    const key = envKey(name);
    if (key) config.set(key, { value: yaml.load(String(text)), from: `environment variable ${name}` });
  }
  return config;
}

const truthy = (v) => v === true || (typeof v === "string" && ["true", "yes", "on"].includes(v.toLowerCase()));
const describe = (config, key) => {
  const entry = config.get(key);
  return entry ? `${JSON.stringify(entry.value)} (from ${entry.from})` : "unset (default)";
};

// The security problems of one kzgd: `mountedAt(path)` says what mounts a file path, or undefined.
function securityProblems(config, mountedAt) {
  const problems = [];
  const value = (key) => config.get(key) && config.get(key).value;
  if (!truthy(value("auth.enabled"))) problems.push(`auth.enabled is ${describe(config, "auth.enabled")}: /v1 would answer without an API key`);
  const keysFile = value("auth.keys_file");
  if (typeof keysFile !== "string" || !keysFile.startsWith("/")) {
    problems.push(`auth.keys_file is ${describe(config, "auth.keys_file")}: expected an absolute path to the mounted keys file`);
  } else {
    const mount = mountedAt(keysFile);
    if (typeof mount === "string") problems.push(`auth.keys_file ${keysFile}: ${mount}`);
    else if (!mount) problems.push(`auth.keys_file ${keysFile} is not inside any volume or secret mounted into the container`);
  }
  if (!truthy(value("rate_limit.enabled"))) problems.push(`rate_limit.enabled is ${describe(config, "rate_limit.enabled")}: one client could take every worker`);

  // Redis (redis.url set): its password in a mounted secret file, never in the URL (a ConfigMap or a variable);
  // the shared cache's MAC key the same way. The URL itself is never printed: it may hold the password.
  const redisUrl = value("redis.url");
  if (typeof redisUrl === "string" && redisUrl !== "") {
    if (/^[a-z]+:\/\/[^/@]*:[^/@]+@/i.test(redisUrl)) problems.push(`redis.url (from ${config.get("redis.url").from}) carries a password: put it in redis.password_file, mounted from a secret`);
    const secretFile = (key, why) => {
      const file = value(key);
      if (typeof file !== "string" || !file.startsWith("/")) {
        problems.push(`${key} is ${describe(config, key)}: ${why}`);
        return;
      }
      const mount = mountedAt(file);
      if (typeof mount === "string") problems.push(`${key} ${file}: ${mount}`);
      else if (!mount) problems.push(`${key} ${file} is not inside any volume or secret mounted into the container`);
    };
    secretFile("redis.password_file", "expected the mounted Redis password (without one, anything that reaches Redis can reset every client's rate limit)");
    const off = (key) => value(key) !== undefined && !truthy(value(key));
    if (!off("cache.enabled") && !off("cache.shared")) secretFile("cache.mac_key_file", "expected the mounted MAC key of the shared cache");
  }
  return problems;
}

const configPathFrom = (args) => {
  const list = (args || []).map(String);
  const i = list.findIndex((a) => a === "--config" || a.startsWith("--config="));
  if (i < 0) return IMAGE_CONFIG;
  return list[i].includes("=") ? list[i].slice(list[i].indexOf("=") + 1) : list[i + 1];
};
const inside = (file, dir) => file === dir || file.startsWith(dir.endsWith("/") ? dir : `${dir}/`);

function checkKubernetes(docs) {
  const reports = [];
  const find = (kind, name) => docs.find((d) => d.kind === kind && d.metadata && d.metadata.name === name);
  for (const deployment of docs.filter((d) => d.kind === "Deployment")) {
    const pod = deployment.spec.template.spec;
    for (const container of pod.containers || []) {
      if (!/(^|\/)kzgd(:|@|$)/.test(container.image || "")) continue;
      const where = `Deployment/${deployment.metadata.name} container ${container.name}`;
      const problems = [];
      const volumes = new Map((pod.volumes || []).map((v) => [v.name, v]));
      // The deepest mount holding a path, with the volume behind it.
      const mountFor = (file) => (container.volumeMounts || []).filter((m) => inside(file, m.mountPath))
        .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
      // The content of a file inside a ConfigMap or Secret volume, or a string saying why it has none.
      const fileIn = (file) => {
        const mount = mountFor(file);
        if (!mount) return undefined;
        const volume = volumes.get(mount.name);
        if (!volume) return `volumeMount ${mount.name} has no volume`;
        const relative = path.posix.relative(mount.mountPath, file);
        const source = volume.configMap ? ["ConfigMap", volume.configMap.name, volume.configMap.items] :
          volume.secret ? ["Secret", volume.secret.secretName, volume.secret.items] : undefined;
        if (!source) return { mount, volume };
        const [kind, name, items] = source;
        const item = (items || []).find((i) => i.path === relative);
        const key = items ? item && item.key : relative;
        const object = find(kind, name);
        if (!object) return `${kind} ${name} (volume ${volume.name}) is not in the render`;
        const data = { ...(object.data || {}), ...(object.stringData || {}), ...(object.binaryData || {}) };
        if (key === undefined || !(key in data)) return `${kind} ${name} mounted at ${mount.mountPath} has no key for ${relative}`;
        return { mount, volume, kind, name, text: kind === "Secret" && object.data && key in object.data ? Buffer.from(data[key], "base64").toString() : data[key] };
      };

      const configPath = configPathFrom([...(container.command || []), ...(container.args || [])]);
      const configFile = fileIn(configPath);
      let configText = "";
      if (configFile === undefined) problems.push(`the config file ${configPath} is not mounted (the image's would be used)`);
      else if (typeof configFile === "string") problems.push(`config file ${configPath}: ${configFile}`);
      else configText = configFile.text || "";

      const env = {};
      for (const from of container.envFrom || []) {
        const ref = from.configMapRef || from.secretRef;
        const object = ref && find(from.configMapRef ? "ConfigMap" : "Secret", ref.name);
        if (!object) problems.push(`envFrom ${ref && ref.name} is not in the render: its KZGD_* variables cannot be checked`);
        else Object.assign(env, object.data || {});
      }
      for (const e of container.env || []) {
        if (e.valueFrom && envKey(e.name)) problems.push(`env ${e.name} comes from valueFrom: its value cannot be checked`);
        else env[e.name] = e.value === undefined ? "" : e.value;
      }
      const config = effectiveConfig(configText, env);
      problems.push(...securityProblems(config, (file) => {
        const found = fileIn(file);
        if (found && typeof found !== "string" && found.kind === "ConfigMap") return `is in ConfigMap ${found.name}: keys and passwords belong in a Secret`;
        return found;
      }));
      reports.push({ where, config, problems });
    }
  }
  return reports;
}

function checkCompose(doc) {
  const reports = [];
  const topSecrets = doc.secrets || {};
  for (const [name, service] of Object.entries(doc.services || {})) {
    const dockerfile = service.build && service.build.dockerfile;
    if (!/(^|\/)kzgd(:|@|$)/.test(service.image || "") && !/deploy\/docker\/Dockerfile$/.test(dockerfile || "")) continue;
    const where = `compose service ${name}`;
    const problems = [];
    const command = typeof service.command === "string" ? service.command.split(/\s+/) : service.command;
    const configPath = configPathFrom(command);
    // Volumes as docker-compose config renders them: "SOURCE:TARGET[:MODE]" or {source, target}.
    const volumes = (service.volumes || []).map((v) => typeof v === "string" ?
      { source: v.split(":")[0], target: v.split(":")[1] } : v);
    const secretTarget = (s) => {
      const target = typeof s === "string" ? s : s.target || s.source;
      return target.startsWith("/") ? target : `/run/secrets/${target}`;
    };
    const secrets = (service.secrets || []).map((s) => ({ source: typeof s === "string" ? s : s.source, target: secretTarget(s) }));
    let configText;
    const configVolume = volumes.find((v) => v.target === configPath);
    if (configVolume) {
      try {
        configText = fs.readFileSync(configVolume.source, "utf8");
      } catch (e) {
        problems.push(`the config file ${configPath} is mounted from ${configVolume.source}, which cannot be read: ${e.message}`);
      }
    } else if (configPath === IMAGE_CONFIG) {
      configText = fs.readFileSync(IMAGE_CONFIG_SOURCE, "utf8");
    } else {
      problems.push(`the config file ${configPath} is not mounted`);
    }
    const env = Array.isArray(service.environment) ?
      Object.fromEntries(service.environment.map((e) => [e.split("=")[0], e.slice(e.indexOf("=") + 1)])) :
      service.environment || {};
    const config = effectiveConfig(configText, env);
    problems.push(...securityProblems(config, (file) => {
      const secret = secrets.find((s) => s.target === file);
      if (secret) return topSecrets[secret.source] ? { secret } : `secret ${secret.source} is not defined under the top-level secrets:`;
      return volumes.find((v) => v.target && inside(file, v.target));
    }));
    reports.push({ where, config, problems });
  }
  return reports;
}

function main() {
  const [mode, file] = process.argv.slice(2);
  if (!["k8s", "compose"].includes(mode) || !file) {
    console.error("usage: secure-config.js k8s|compose RENDERED.yaml");
    process.exit(2);
  }
  const docs = yaml.loadAll(fs.readFileSync(file === "-" ? 0 : file, "utf8")).filter((d) => d);
  const reports = mode === "k8s" ? checkKubernetes(docs) : checkCompose(docs[0] || {});
  let failed = reports.length === 0;
  if (failed) console.error(`secure-config: ${file}: no kzgd found`);
  for (const { where, config, problems } of reports) {
    for (const p of problems) console.error(`secure-config: ${where}: ${p}`);
    failed = failed || problems.length > 0;
    const keys = ["auth.enabled", "auth.keys_file", "auth.open_metrics", "rate_limit.enabled"];
    console.log(`secure-config: ${where}: ${problems.length ? "INSECURE" : "ok"}: ${keys.map((k) => `${k}=${describe(config, k)}`).join(", ")}`);
  }
  process.exit(failed ? 1 : 0);
}

if (require.main === module) main();
module.exports = { effectiveConfig, securityProblems, checkKubernetes, checkCompose };
