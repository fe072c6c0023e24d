#!/usr/bin/env node
// Validates rendered Kubernetes manifests (the output of `kubectl kustomize`, one or more YAML files, or
// standard input with "-"): every object against the Kubernetes JSON schema of its apiVersion and kind
// (kubernetes-models), then kzgd's own deployment rules (zero-downtime rollout, probes on /health and /ready,
// the hardened security context, objects that refer to each other by name agree, memory thresholds within the
// memory limit, egress to the tracing collector when tracing is on, and to Redis when redis.url is set), and
// the rules every other workload of the namespace (Redis) must meet: the hardened security context, Services
// and Secrets that match what the pods use, and no label that puts its pods behind kzgd's Service.
// deploy/test/secure-config.js checks auth.
// Prints one line per problem and exits 1 when there is any, else prints a summary and exits 0.
"use strict";

const fs = require("fs");
const yaml = require("js-yaml");
const { effectiveConfig } = require("../secure-config.js");

const problems = [];
const problem = (where, message) => problems.push(`${where}: ${message}`);

function modelFor(apiVersion, kind) {
  // "v1" -> kubernetes-models/v1, "apps/v1" -> kubernetes-models/apps/v1.
  if (typeof apiVersion !== "string" || !/^[a-z0-9.]+(\/[a-z0-9]+)?$/.test(apiVersion)) return undefined;
  try {
    return require(`kubernetes-models/${apiVersion}`)[kind];
  } catch {
    return undefined;
  }
}

function loadObjects(paths) {
  const objects = [];
  for (const path of paths) {
    const text = fs.readFileSync(path === "-" ? 0 : path, "utf8");
    for (const doc of yaml.loadAll(text)) {
      if (doc !== null && doc !== undefined) objects.push({ source: path, object: doc });
    }
  }
  return objects;
}

function validateSchema({ source, object: rendered }) {
  let object = rendered;
  const name = `${source}: ${object.kind}/${object.metadata && object.metadata.name}`;
  const Model = modelFor(object.apiVersion, object.kind);
  if (!Model) {
    problem(name, `no Kubernetes schema for apiVersion "${object.apiVersion}" kind "${object.kind}"`);
    return;
  }
  // kustomize v3 and later fold a generated Secret's long base64 values over several lines; the API server's
  // decoder (Go's encoding/base64) skips the line breaks, the schema's "byte" format does not.
  if (object.kind === "Secret" && object.data) {
    object = { ...object, data: Object.fromEntries(Object.entries(object.data).map(([k, v]) => [k, String(v).replace(/\s+/g, "")])) };
  }
  try {
    new Model(object).validate();
  } catch (e) {
    problem(name, `does not match the ${object.apiVersion} ${object.kind} schema: ${e.message}`);
  }
}

const quantityBytes = (q) => {
  const m = /^([0-9.]+)(Ki|Mi|Gi|K|M|G)?$/.exec(String(q));
  if (!m) return NaN;
  const unit = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, K: 1e3, M: 1e6, G: 1e9 }[m[2]] || 1;
  return Number(m[1]) * unit;
};
// kzgd's byte sizes (docs/configuration.md): a number, or with a KiB, MiB or GiB suffix; undefined when unset or
// "auto" (derived from the container's memory limit).
const sizeBytes = (v) => {
  if (v === undefined || v === null || v === "" || v === "auto") return undefined;
  const m = /^([0-9]+)\s*(KiB|MiB|GiB)?$/.exec(String(v));
  return m ? Number(m[1]) * ({ KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 }[m[2]] || 1) : NaN;
};
const matches = (selector, labels) =>
  Object.entries(selector || {}).every(([k, v]) => labels && labels[k] === v);

// A peer of a NetworkPolicy rule that admits pods with these labels of the policy's own namespace (a peer with a
// namespaceSelector, an ipBlock or matchExpressions is not worked out here, and counts as not admitting them).
const peerAdmits = (peer, labels) => peer.podSelector && !peer.namespaceSelector && !peer.ipBlock &&
  matches(peer.podSelector.matchLabels, labels) && !(peer.podSelector.matchExpressions || []).length;
// A rule's ports include this port (a number, or a container port's name) and protocol.
const portsAllow = (ports, port, protocol, name) => !ports || ports.some((p) =>
  (p.port === undefined || p.port === port || (name !== undefined && p.port === name)) && (p.protocol || "TCP") === protocol);

// The pod rules for every Deployment (the namespace enforces the "restricted" Pod Security Standard, and we
// want more: a read-only root filesystem, no service-account token).
function checkPod(where, deployment) {
  const spec = deployment.spec;
  const pod = spec.template.spec;
  if (!matches(spec.selector.matchLabels, spec.template.metadata.labels)) problem(where, "selector does not match the pod template's labels");
  if (pod.automountServiceAccountToken !== false) problem(where, "automountServiceAccountToken must be false");
  const podSec = pod.securityContext || {};
  for (const container of pod.containers || []) {
    const c = `${where} container ${container.name}`;
    const sec = container.securityContext || {};
    if (!(sec.runAsNonRoot ?? podSec.runAsNonRoot)) problem(c, "runAsNonRoot must be true");
    if (!((sec.runAsUser ?? podSec.runAsUser) > 0)) problem(c, "runAsUser must be a non-root uid");
    if (sec.readOnlyRootFilesystem !== true) problem(c, "readOnlyRootFilesystem must be true");
    if (sec.allowPrivilegeEscalation !== false) problem(c, "allowPrivilegeEscalation must be false");
    if (!(sec.capabilities && (sec.capabilities.drop || []).includes("ALL"))) problem(c, "capabilities.drop must include ALL");
    if (sec.capabilities && sec.capabilities.add && sec.capabilities.add.length) problem(c, "must add no capability");
    if (((sec.seccompProfile ?? podSec.seccompProfile) || {}).type !== "RuntimeDefault") problem(c, "seccompProfile must be RuntimeDefault");
    const limits = (container.resources && container.resources.limits) || {};
    if (!limits.memory) problem(c, "resources.limits.memory must be set");
  }
}

function checkKzgdRules(objects) {
  const byKind = (kind) => objects.map((o) => o.object).filter((o) => o.kind === kind);
  // kzgd's own objects carry app.kubernetes.io/name: kzgd (the generated Secrets too); the rest (Redis) has
  // its own name and only the rules for every workload below.
  const kzgdLabels = { "app.kubernetes.io/name": "kzgd" };
  const kzgdOf = (kind) => byKind(kind).filter((o) => matches(kzgdLabels, o.metadata.labels));
  for (const kind of ["Namespace", "ConfigMap", "Deployment", "Service", "Ingress",
    "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy"]) {
    if (kzgdOf(kind).length !== 1) problem(kind, `expected exactly one labelled app.kubernetes.io/name=kzgd, found ${kzgdOf(kind).length}`);
  }
  if (byKind("Secret").length === 0) problem("Secret", "expected at least one (the API keys)");
  const [deployment] = kzgdOf("Deployment");
  const [configMap] = kzgdOf("ConfigMap");
  if (!deployment || !configMap) return;
  const where = `Deployment/${deployment.metadata.name}`;
  const namespace = byKind("Namespace")[0]?.metadata.name;
  for (const o of objects.map((x) => x.object).filter((o) => o.kind !== "Namespace")) {
    if (o.metadata.namespace !== namespace) problem(`${o.kind}/${o.metadata.name}`, `namespace is "${o.metadata.namespace}", expected "${namespace}"`);
  }

  const spec = deployment.spec;
  const rolling = spec.strategy && spec.strategy.rollingUpdate;
  if (!rolling || rolling.maxUnavailable !== 0) problem(where, "strategy.rollingUpdate.maxUnavailable must be 0 (no serving pod removed before its replacement is ready)");
  const pod = spec.template.spec;
  const podLabels = spec.template.metadata.labels;
  if (!matches(spec.selector.matchLabels, podLabels)) problem(where, "selector does not match the pod template's labels");
  const podSec = pod.securityContext || {};
  if (pod.automountServiceAccountToken !== false) problem(where, "automountServiceAccountToken must be false (kzgd does not call the API)");
  const container = (pod.containers || []).find((c) => c.name === "kzgd");
  if (!container) {
    problem(where, 'no container named "kzgd"');
    return;
  }
  const c = `${where} container kzgd`;
  const sec = container.securityContext || {};
  if (!(sec.runAsNonRoot ?? podSec.runAsNonRoot)) problem(c, "runAsNonRoot must be true");
  if (!((sec.runAsUser ?? podSec.runAsUser) > 0)) problem(c, "runAsUser must be a non-root uid");
  if (sec.readOnlyRootFilesystem !== true) problem(c, "readOnlyRootFilesystem must be true");
  if (sec.allowPrivilegeEscalation !== false) problem(c, "allowPrivilegeEscalation must be false");
  if (!(sec.capabilities && (sec.capabilities.drop || []).includes("ALL"))) problem(c, "capabilities.drop must include ALL");
  if (sec.capabilities && sec.capabilities.add && sec.capabilities.add.length) problem(c, "must add no capability");
  if (((sec.seccompProfile ?? podSec.seccompProfile) || {}).type !== "RuntimeDefault") problem(c, "seccompProfile must be RuntimeDefault");

  const port = (container.ports || []).find((p) => p.name === "http");
  if (!port) problem(c, 'no port named "http"');
  const grpcPort = (container.ports || []).find((p) => p.name === "grpc");
  const probePath = (probe) => probe && probe.httpGet && probe.httpGet.path;
  if (probePath(container.startupProbe) !== "/health") problem(c, "startupProbe must GET /health");
  if (probePath(container.livenessProbe) !== "/health") problem(c, "livenessProbe must GET /health");
  if (probePath(container.readinessProbe) !== "/ready") problem(c, "readinessProbe must GET /ready");
  for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
    const p = container[probe] && container[probe].httpGet;
    if (p && p.port !== "http" && p.port !== (port && port.containerPort)) problem(c, `${probe} port is not the http port`);
  }

  const limits = (container.resources && container.resources.limits) || {};
  const requests = (container.resources && container.resources.requests) || {};
  if (!requests.cpu || !requests.memory) problem(c, "resources.requests must set cpu and memory");
  // KzgdMemoryNearLimit (deploy/prometheus/alerting-rules.yml) assumes a 1 GiB limit.
  if (quantityBytes(limits.memory) !== 1024 ** 3) problem(c, `resources.limits.memory is ${limits.memory}, the alerts assume 1Gi`);

  // Shutdown: preStop pause, then kzgd's drain delay and grace period must fit in the termination grace period.
  const preStop = container.lifecycle && container.lifecycle.preStop;
  const command = preStop && preStop.exec && preStop.exec.command;
  const pause = command && command.length === 2 && /(^|\/)sleep$/.test(command[0]) ? Number(command[1]) : NaN;
  if (!(pause > 0)) problem(c, 'lifecycle.preStop must be exec ["/bin/sleep", SECONDS]');
  const config = yaml.load(configMap.data["kzgd.yaml"]) || {};
  const shutdown = config.shutdown || {};
  const drain = Number(shutdown.drain_delay_seconds ?? 0);
  const grace = Number(shutdown.grace_seconds ?? 10);
  const needed = pause + drain + grace;
  if (!(pod.terminationGracePeriodSeconds > needed)) {
    problem(where, `terminationGracePeriodSeconds (${pod.terminationGracePeriodSeconds}) must exceed preStop ${pause} + drain_delay_seconds ${drain} + grace_seconds ${grace}`);
  }
  if (!(drain > 0)) problem(`ConfigMap/${configMap.metadata.name}`, "shutdown.drain_delay_seconds should be above 0");
  const listen = config.server && config.server.listen;
  if (!port || listen !== `0.0.0.0:${port.containerPort}`) problem(`ConfigMap/${configMap.metadata.name}`, `server.listen is ${listen}, expected 0.0.0.0:${port && port.containerPort}`);
  // gRPC (on by default): the pods expose its port, and grpc.listen serves it on every interface.
  const grpcConfig = config.grpc || {};
  if (grpcConfig.enabled !== false) {
    if (!grpcPort) problem(c, 'grpc is enabled but the container has no port named "grpc"');
    else if (grpcConfig.listen !== `0.0.0.0:${grpcPort.containerPort}`) problem(`ConfigMap/${configMap.metadata.name}`, `grpc.listen is ${grpcConfig.listen}, expected 0.0.0.0:${grpcPort.containerPort}`);
  }
  const volumes = new Map((pod.volumes || []).map((v) => [v.name, v]));
  for (const m of container.volumeMounts || []) {
    if (!volumes.has(m.name)) problem(c, `volumeMount ${m.name} has no volume`);
  }
  const configVolume = [...volumes.values()].find((v) => v.configMap);
  if (!configVolume || configVolume.configMap.name !== configMap.metadata.name) problem(where, `no volume from ConfigMap ${configMap.metadata.name}`);

  // Every Secret volume names a Secret of the render, and every Secret is mounted by a pod.
  const secretNames = new Set(byKind("Secret").map((s) => s.metadata.name));
  const mounted = new Set();
  for (const d of byKind("Deployment")) {
    for (const v of d.spec.template.spec.volumes || []) {
      if (!v.secret) continue;
      mounted.add(v.secret.secretName);
      if (!secretNames.has(v.secret.secretName)) problem(`Deployment/${d.metadata.name}`, `volume ${v.name} is from Secret ${v.secret.secretName}, which is not in the render`);
    }
  }
  for (const name of secretNames) {
    if (!mounted.has(name)) problem(`Secret/${name}`, "is mounted by no Deployment");
  }
  if (![...volumes.values()].some((v) => v.secret)) problem(where, "no volume from a Secret (the API keys)");

  // The configuration kzgd runs with: the ConfigMap's file, then the container's KZGD_* variables.
  const env = Object.fromEntries((container.env || []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
  const effective = effectiveConfig(configMap.data["kzgd.yaml"], env);
  const setting = (key) => effective.get(key) && effective.get(key).value;

  // Memory thresholds set explicitly must fit the container's limit (unset, kzgd derives them from it).
  const limitBytes = quantityBytes(limits.memory);
  const warnBytes = sizeBytes(setting("diagnostics.memory_warn_bytes"));
  const failBytes = sizeBytes(setting("diagnostics.memory_limit_bytes"));
  if (failBytes !== undefined && !(failBytes < limitBytes)) problem(c, `diagnostics.memory_limit_bytes (${failBytes}) must be below resources.limits.memory (${limits.memory}): the kernel kills kzgd before the health check fails`);
  if (warnBytes !== undefined && !(warnBytes < (failBytes ?? limitBytes))) problem(c, `diagnostics.memory_warn_bytes (${warnBytes}) must be below diagnostics.memory_limit_bytes and resources.limits.memory (${limits.memory})`);

  // kzgd's pods must not take Kubernetes' service variables: those of Service kzgd-redis (KZGD_REDIS_PORT, ...)
  // would sit among kzgd's own KZGD_* settings.
  const kzgdServices = byKind("Service").filter((s) => /^kzgd([-_]|$)/i.test(s.metadata.name)).map((s) => s.metadata.name);
  if (kzgdServices.length && pod.enableServiceLinks !== false) problem(where, `enableServiceLinks must be false: Service ${kzgdServices.join(", ")} would set KZGD_* variables in the pods, where kzgd reads its settings`);

  const [service] = kzgdOf("Service");
  if (service) {
    if (!matches(service.spec.selector, podLabels)) problem(`Service/${service.metadata.name}`, "selector does not match the pods");
    for (const p of service.spec.ports) {
      const target = p.name === "grpc" ? grpcPort : port;
      if (p.targetPort !== p.name && p.targetPort !== (target && target.containerPort)) problem(`Service/${service.metadata.name}`, `targetPort ${p.targetPort} is not the pods' ${p.name} port`);
    }
    if (grpcPort && !service.spec.ports.some((p) => p.name === "grpc")) problem(`Service/${service.metadata.name}`, "the pods serve gRPC but the Service has no grpc port");
  }
  const [ingress] = kzgdOf("Ingress");
  if (ingress && service) {
    for (const rule of ingress.spec.rules || []) {
      for (const path of (rule.http && rule.http.paths) || []) {
        const backend = path.backend.service;
        if (backend.name !== service.metadata.name) problem(`Ingress/${ingress.metadata.name}`, `backend ${backend.name} is not Service ${service.metadata.name}`);
        if (!service.spec.ports.some((p) => p.name === backend.port.name || p.port === backend.port.number)) problem(`Ingress/${ingress.metadata.name}`, "backend port is not a port of the Service");
      }
    }
  }
  const [hpa] = kzgdOf("HorizontalPodAutoscaler");
  if (hpa) {
    const t = hpa.spec.scaleTargetRef;
    if (t.kind !== "Deployment" || t.name !== deployment.metadata.name) problem(`HorizontalPodAutoscaler/${hpa.metadata.name}`, "does not scale the Deployment");
    if (deployment.spec.replicas !== undefined) problem(where, "sets replicas although the HorizontalPodAutoscaler owns the count (every apply would reset it)");
    if (!(hpa.spec.minReplicas >= 2)) problem(`HorizontalPodAutoscaler/${hpa.metadata.name}`, "minReplicas must be at least 2 (one pod is a single point of failure)");
  }
  const [pdb] = kzgdOf("PodDisruptionBudget");
  if (pdb) {
    if (!matches(pdb.spec.selector.matchLabels, podLabels)) problem(`PodDisruptionBudget/${pdb.metadata.name}`, "selector does not match the pods");
    if (pdb.spec.minAvailable !== undefined && pdb.spec.maxUnavailable !== undefined) problem(`PodDisruptionBudget/${pdb.metadata.name}`, "sets both minAvailable and maxUnavailable");
    if (hpa && typeof pdb.spec.minAvailable === "number" && pdb.spec.minAvailable >= hpa.spec.minReplicas) problem(`PodDisruptionBudget/${pdb.metadata.name}`, "minAvailable leaves no pod to disrupt at minReplicas");
  }
  const [policy] = kzgdOf("NetworkPolicy");
  if (policy && !matches(policy.spec.podSelector.matchLabels, podLabels)) problem(`NetworkPolicy/${policy.metadata.name}`, "podSelector does not match the pods");
  // Tracing on: the NetworkPolicy must let the spans out to the collector's port, and DNS out when it is a name.
  const endpoint = setting("tracing.endpoint");
  if (policy && typeof endpoint === "string" && endpoint !== "") {
    const url = new URL(endpoint);
    const collectorPort = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    const egress = (policy.spec.policyTypes || []).includes("Egress") ? policy.spec.egress || [] : undefined;
    const allows = (port, protocol) => egress === undefined || egress.some((rule) => !rule.ports ||
      rule.ports.some((p) => p.port === port && (p.protocol || "TCP") === protocol));
    const p = `NetworkPolicy/${policy.metadata.name}`;
    if (!allows(collectorPort, "TCP")) problem(p, `tracing.endpoint is ${endpoint}, but no egress rule allows port ${collectorPort}/TCP`);
    if (!/^[0-9.]+$|^\[/.test(url.hostname) && !allows(53, "UDP")) problem(p, `tracing.endpoint names host ${url.hostname}, but no egress rule allows DNS (53/UDP)`);
  }

  // Redis (redis.url set): kzgd's egress must reach it (and DNS, for a name); when the host is a Service of the
  // render, that Service must have the port and select pods, the egress rule must admit those pods, and every
  // NetworkPolicy of those pods must let kzgd's pods in on the port.
  const redisSetting = setting("redis.url");
  if (typeof redisSetting === "string" && redisSetting !== "") {
    let url;
    try {
      url = new URL(redisSetting);
    } catch {
      problem(c, "redis.url is not a redis://host:port/db URL");
    }
    const redisPort = url ? Number(url.port || 6379) : NaN;
    const host = url ? url.hostname : "";
    const shown = url ? `redis://${host}:${redisPort}` : "redis.url";
    const egress = policy && (policy.spec.policyTypes || []).includes("Egress") ? policy.spec.egress || [] : undefined;
    const p = policy ? `NetworkPolicy/${policy.metadata.name}` : "";
    if (url && egress) {
      if (!egress.some((rule) => portsAllow(rule.ports, redisPort, "TCP"))) problem(p, `redis.url is ${shown}, but no egress rule allows port ${redisPort}/TCP`);
      if (!/^[0-9.]+$|^\[/.test(host) && !egress.some((rule) => portsAllow(rule.ports, 53, "UDP"))) problem(p, `redis.url names host ${host}, but no egress rule allows DNS (53/UDP)`);
    }
    const target = byKind("Service").find((s) => [s.metadata.name, `${s.metadata.name}.${namespace}`,
      `${s.metadata.name}.${namespace}.svc`, `${s.metadata.name}.${namespace}.svc.cluster.local`].includes(host));
    if (url && target) {
      const s = `Service/${target.metadata.name}`;
      const servicePort = (target.spec.ports || []).find((sp) => sp.port === redisPort);
      const pods = byKind("Deployment").filter((d) => matches(target.spec.selector, d.spec.template.metadata.labels));
      // (A Service that selects no pods is reported with every other Service below.)
      if (!servicePort) problem(s, `redis.url is ${shown}, but the Service has no port ${redisPort}`);
      for (const d of servicePort ? pods : []) {
        const labels = d.spec.template.metadata.labels;
        const targetPort = servicePort.targetPort ?? servicePort.port;
        const containerPort = (d.spec.template.spec.containers || []).flatMap((x) => x.ports || [])
          .find((cp) => cp.name === targetPort || cp.containerPort === targetPort);
        if (!containerPort) {
          problem(s, `targetPort ${targetPort} is not a port of Deployment/${d.metadata.name}`);
          continue;
        }
        const podPort = containerPort.containerPort;
        if (egress && !egress.some((rule) => portsAllow(rule.ports, podPort, "TCP") && (!rule.to || rule.to.some((peer) => peerAdmits(peer, labels))))) {
          problem(p, `redis.url is ${shown}, but no egress rule lets kzgd reach the pods of Deployment/${d.metadata.name} on ${podPort}/TCP`);
        }
        for (const np of byKind("NetworkPolicy").filter((x) => matches(x.spec.podSelector.matchLabels, labels))) {
          if (!(np.spec.policyTypes || ["Ingress"]).includes("Ingress")) continue;
          const admits = (np.spec.ingress || []).some((rule) => portsAllow(rule.ports, podPort, "TCP", containerPort.name) &&
            (!rule.from || rule.from.some((peer) => peerAdmits(peer, podLabels))));
          if (!admits) problem(`NetworkPolicy/${np.metadata.name}`, `admits no kzgd pod on ${podPort}/TCP, where kzgd reaches Redis (redis.url)`);
        }
      }
    }
  }

  // Every other workload (Redis): hardened like kzgd, and never behind kzgd's Service, budget or policy.
  for (const other of byKind("Deployment").filter((d) => d !== deployment)) {
    const w = `Deployment/${other.metadata.name}`;
    checkPod(w, other);
    const labels = other.spec.template.metadata.labels;
    for (const [kind, selector] of [["Service", service && service.spec.selector], ["PodDisruptionBudget", pdb && pdb.spec.selector.matchLabels],
      ["NetworkPolicy", policy && policy.spec.podSelector.matchLabels]]) {
      if (selector && matches(selector, labels)) problem(w, `its pods carry the labels kzgd's ${kind} selects (${JSON.stringify(selector)})`);
    }
  }
  for (const other of byKind("Service").filter((s) => s !== service)) {
    const pods = byKind("Deployment").filter((d) => matches(other.spec.selector, d.spec.template.metadata.labels));
    if (!pods.length) problem(`Service/${other.metadata.name}`, "selects the pods of no Deployment");
    for (const d of pods) {
      const names = (d.spec.template.spec.containers || []).flatMap((x) => x.ports || []);
      for (const sp of other.spec.ports || []) {
        if (typeof sp.targetPort === "string" && !names.some((cp) => cp.name === sp.targetPort)) problem(`Service/${other.metadata.name}`, `targetPort ${sp.targetPort} is not a port of Deployment/${d.metadata.name}`);
      }
    }
  }
}

const paths = process.argv.slice(2);
if (paths.length === 0) {
  console.error("usage: validate.js FILE... (- for standard input)");
  process.exit(2);
}
let objects;
try {
  objects = loadObjects(paths);
} catch (e) {
  console.error(`validate: ${e.message}`);
  process.exit(1);
}
objects.forEach(validateSchema);
checkKzgdRules(objects);
if (problems.length) {
  for (const p of problems) console.error(`validate: ${p}`);
  console.error(`validate: ${problems.length} problem(s) in ${objects.length} objects`);
  process.exit(1);
}
console.log(`validate: ${objects.length} objects match their Kubernetes schemas and kzgd's rules (${paths.join(" ")})`);
