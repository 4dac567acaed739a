// The tsc-micro dev dashboard page: plain DOM, no framework, no network beyond this server.
// State comes from /api/* once, then from Server-Sent Events (/api/events). All text goes
// through textContent, never innerHTML, so nothing a service answers can inject markup.

const state = { services: [], traces: new Map(), rendered: new Set() };

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    if (key === "class") node.className = value;
    else if (key === "style") node.setAttribute("style", value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  return node;
}

// ---- Services -------------------------------------------------------------------------------

function renderServices() {
  const body = document.querySelector("#services tbody");
  body.replaceChildren(
    ...state.services.map((s) =>
      el("tr", { "data-service": s.name },
        el("td", {}, el("strong", {}, s.name)),
        el("td", {}, el("span", { class: "health", "data-health": s.health }, s.health)),
        el("td", {}, el("a", { href: s.url, target: "_blank", rel: "noreferrer" }, s.url)),
        el("td", { class: "pid" }, s.pid ?? "—"),
      ),
    ),
  );
}

// ---- API reference (own renderer for the build's OpenAPI 3.1 documents) ---------------------

function refName(ref) {
  return decodeURIComponent(ref.split("/").pop());
}

function resolve(schema, doc) {
  if (schema && schema.$ref && schema.$ref.startsWith("#/components/schemas/")) return doc.components?.schemas?.[refName(schema.$ref)] ?? {};
  return schema ?? {};
}

/** A TypeScript-like type of a JSON schema, shallow enough to read at a glance. */
function typeOf(schema, doc, depth = 0) {
  if (!schema || typeof schema !== "object") return "unknown";
  if (schema.$ref) return refName(schema.$ref);
  if ("const" in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  for (const key of ["anyOf", "oneOf"]) if (Array.isArray(schema[key])) return schema[key].map((s) => typeOf(s, doc, depth)).join(" | ");
  if (Array.isArray(schema.allOf)) return schema.allOf.map((s) => typeOf(s, doc, depth)).join(" & ");
  if (Array.isArray(schema.type)) return schema.type.map((t) => typeOf({ ...schema, type: t }, doc, depth)).join(" | ");
  switch (schema.type) {
    case "array":
      if (Array.isArray(schema.prefixItems)) return `[${schema.prefixItems.map((s) => typeOf(s, doc, depth + 1)).join(", ")}]`;
      return `${wrap(typeOf(schema.items, doc, depth + 1))}[]`;
    case "object": {
      const properties = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      const rest = schema.additionalProperties && typeof schema.additionalProperties === "object" ? typeOf(schema.additionalProperties, doc, depth + 1) : undefined;
      if (properties.length === 0) return rest ? `Record<string, ${rest}>` : "object";
      if (depth > 2) return "{ … }";
      const fields = properties.map(([name, s]) => `${name}${required.has(name) ? "" : "?"}: ${typeOf(s, doc, depth + 1)}`);
      if (rest) fields.push(`[key: string]: ${rest}`);
      return `{ ${fields.join("; ")} }`;
    }
    case "integer":
      return "integer";
    case undefined:
      return "unknown";
    default:
      return schema.type;
  }
}

function wrap(type) {
  return /[|&]/.test(type) ? `(${type})` : type;
}

/** Arguments to start from: every required field with a plain value of its type. */
function example(schema, doc, depth = 0) {
  schema = resolve(schema, doc);
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const first = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (first) return example(first, doc, depth);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === "number" || type === "integer") return 0;
  if (type === "string") return "";
  if (type === "boolean") return false;
  if (type === "null") return null;
  if (type === "array") return Array.isArray(schema.prefixItems) ? schema.prefixItems.map((s) => example(s, doc, depth + 1)) : [];
  if (type === "object" && depth < 4) {
    const value = {};
    for (const name of schema.required ?? []) value[name] = example(schema.properties?.[name], doc, depth + 1);
    return value;
  }
  return null;
}

function operations(doc) {
  const list = [];
  for (const [route, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item ?? {})) {
      if (typeof op !== "object" || !op.responses) continue;
      list.push({ route, method: method.toUpperCase(), op });
    }
  }
  return list;
}

function renderFunction(service, doc, { route, method, op }) {
  const fn = op.operationId ?? route.replace(/^\//, "");
  const request = resolve(op.requestBody?.content?.["application/json"]?.schema, doc);
  const required = new Set(request.required ?? []);
  const params = Object.entries(request.properties ?? {});
  const ok = Object.entries(op.responses).find(([code]) => code.startsWith("2"));
  const result = ok?.[1]?.content?.["application/json"]?.schema;
  const errors = Object.entries(op.responses).filter(([code]) => !code.startsWith("2"));
  const textarea = el("textarea", { name: "args", spellcheck: "false", "aria-label": `${fn} arguments (JSON)` });
  textarea.value = JSON.stringify(example(request, doc));
  const answer = el("pre", { class: "answer" });
  const form = el("form", {}, textarea, el("button", { type: "submit" }, "Call"), answer);
  form.addEventListener("submit", async function callFunction(event) {
    event.preventDefault();
    answer.replaceChildren("calling…");
    answer.removeAttribute("data-ok");
    let reply;
    try {
      const response = await fetch(`/api/call/${encodeURIComponent(service)}/${encodeURIComponent(fn)}`, { method: "POST", body: textarea.value });
      reply = await response.json();
    } catch (error) {
      reply = { status: 0, error: String(error) };
    }
    answer.setAttribute("data-ok", String(reply.status >= 200 && reply.status < 300));
    answer.setAttribute("data-status", String(reply.status));
    answer.replaceChildren(
      el("span", { class: "status" }, reply.status ? `${reply.status}` : "no answer"),
      reply.error ?? JSON.stringify(reply.body, null, 2),
    );
  });
  return el("article", { class: "fn", "data-service": service, "data-function": fn },
    el("h4", {}, el("span", { class: "method" }, method), el("code", {}, route)),
    op.description || op.summary ? el("p", { class: "description" }, op.description ?? op.summary) : undefined,
    params.length > 0
      ? el("table", { class: "params" },
          el("thead", {}, el("tr", {}, el("th", {}, "Argument"), el("th", {}, "Type"), el("th", {}, "Description"))),
          el("tbody", {}, params.map(([name, s]) =>
            el("tr", {}, el("td", {}, el("code", {}, `${name}${required.has(name) ? "" : "?"}`)), el("td", { class: "type" }, el("code", {}, typeOf(s, doc))), el("td", {}, s.description ?? "")))),
        )
      : el("p", { class: "hint" }, "No arguments."),
    el("p", { class: "result" }, "Returns ", el("code", {}, typeOf(result, doc)), ok?.[1]?.description ? ` — ${ok[1].description}` : ""),
    errors.length > 0 ? el("p", { class: "hint" }, `Errors: ${errors.map(([code, r]) => `${code} ${r.description ?? ""}`.trim()).join(" · ")}`) : undefined,
    form,
  );
}

async function renderFunctions() {
  const container = document.querySelector("#functions");
  const sections = [];
  for (const service of state.services) {
    let doc;
    try {
      const response = await fetch(`/api/openapi/${encodeURIComponent(service.name)}`);
      doc = response.ok ? await response.json() : undefined;
    } catch {
      doc = undefined;
    }
    const ops = doc ? operations(doc) : [];
    sections.push(el("div", { class: "service-fns", "data-service": service.name },
      el("h3", {}, service.name, doc?.info?.version ? el("span", { class: "hint" }, ` v${doc.info.version}`) : undefined),
      ops.length > 0 ? ops.map((o) => renderFunction(service.name, doc, o)) : el("p", { class: "hint" }, "No OpenAPI document."),
    ));
  }
  container.replaceChildren(...sections);
}

// ---- Recent calls: one waterfall per trace --------------------------------------------------

function depthOf(span, byId) {
  let depth = 0;
  for (let parent = byId.get(span.parentSpanId); parent && depth < 32; parent = byId.get(parent.parentSpanId)) depth++;
  return depth;
}

/** Spans in tree order (parents before children, siblings by start), with their depth. */
function treeOrder(spans) {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const children = new Map();
  const roots = [];
  for (const span of spans) {
    if (span.parentSpanId && byId.has(span.parentSpanId)) {
      if (!children.has(span.parentSpanId)) children.set(span.parentSpanId, []);
      children.get(span.parentSpanId).push(span);
    } else roots.push(span);
  }
  const out = [];
  const visit = (span) => {
    out.push({ span, depth: depthOf(span, byId) });
    for (const child of (children.get(span.spanId) ?? []).sort((a, b) => a.start - b.start)) visit(child);
  };
  roots.sort((a, b) => a.start - b.start).forEach(visit);
  return out;
}

function renderTrace(trace) {
  const rows = treeOrder(trace.spans);
  const start = Math.min(...trace.spans.map((s) => s.start));
  const end = Math.max(...trace.spans.map((s) => s.start + s.duration));
  const total = Math.max(end - start, 0.001);
  const root = rows[0]?.span;
  const failed = trace.spans.some((s) => s.status === 2);
  const services = [...new Set(trace.spans.map((s) => s.service))];
  return el("div", { class: "trace", "data-trace-id": trace.traceId, "data-span-count": trace.spans.length },
    el("div", { class: "trace-title" },
      el("strong", {}, root ? root.name : "?"),
      el("span", {}, services.join(" → ")),
      el("span", {}, `${trace.spans.length} span${trace.spans.length === 1 ? "" : "s"} · ${total.toFixed(1)} ms`),
      failed ? el("span", { class: "error" }, "error") : undefined,
      el("span", { class: "id" }, trace.traceId),
    ),
    rows.map(({ span, depth }) =>
      el("div", { class: "span-row", "data-service": span.service, "data-name": span.name, "data-kind": span.kind, "data-status": span.status, "data-depth": depth, title: attributesText(span) },
        el("div", { class: "span-label", style: `padding-left: ${depth * 16}px` }, span.name, el("span", { class: "svc" }, span.service)),
        el("div", { class: "span-track" },
          el("div", { class: "span-bar", style: `left: ${(((span.start - start) / total) * 100).toFixed(2)}%; width: ${((span.duration / total) * 100).toFixed(2)}%` }),
          el("span", { class: "span-duration" }, `${span.duration.toFixed(2)} ms`),
        ),
      ),
    ),
  );
}

function attributesText(span) {
  return Object.entries(span.attributes ?? {}).map(([k, v]) => `${k}=${v}`).join("\n");
}

function renderCalls() {
  const container = document.querySelector("#calls");
  const traces = [...state.traces.values()].sort((a, b) => b.updated - a.updated).slice(0, 50);
  if (traces.length === 0) return;
  container.replaceChildren(...traces.map(renderTrace));
}

// ---- Live updates ----------------------------------------------------------------------------

let functionsFor = "";
function onServices(services) {
  state.services = services;
  renderServices();
  // The API reference only changes with the set of services (or a rebuild restarting one).
  const key = services.map((s) => `${s.name}:${s.pid}`).join(",");
  if (key !== functionsFor) {
    functionsFor = key;
    void renderFunctions();
  }
}

let pending;
function onTrace(trace) {
  state.traces.set(trace.traceId, trace);
  // Bursts of spans (one per service hop) redraw once.
  pending ??= requestAnimationFrame(() => {
    pending = undefined;
    renderCalls();
  });
}

async function start() {
  const traces = await (await fetch("/api/traces")).json();
  for (const trace of traces.traces) state.traces.set(trace.traceId, trace);
  renderCalls();
  const live = document.querySelector("#live");
  const events = new EventSource("/api/events");
  events.addEventListener("open", () => {
    live.dataset.state = "open";
    live.textContent = "live";
  });
  events.addEventListener("error", () => {
    live.dataset.state = "closed";
    live.textContent = "disconnected (retrying)";
  });
  events.addEventListener("services", (event) => onServices(JSON.parse(event.data)));
  events.addEventListener("trace", (event) => onTrace(JSON.parse(event.data)));
}

void start();
