// fixtures/types-enums over the wire — enums, literal types and template literal types.
// Every service is called through its generated client and must give exactly
// what the monolith gives; bad requests are refused with a 400 naming the
// field. The shared values and helpers: test/helpers/type-roundtrip.ts.
import { test } from "node:test";
import * as enums from "../fixtures/types-enums/src/enums.ts";
import { assertRejected } from "./helpers/parity.ts";
import { fixture, parity } from "./helpers/type-roundtrip.ts";

fixture("types-enums", (split) => {
  const colors = ["RED", "GREEN", "BLUE"] as enums.Color[];
  const priorities = [0, 5, 6] as enums.Priority[];
  const directions = ["up", "down", "left", "right"] as enums.Direction[];
  const tasks: enums.Task[] = [
    { title: "t", priority: 0 as enums.Priority, status: "active", owner: "user-1", width: "12px" },
    { title: "🙂", priority: 6 as enums.Priority, color: "BLUE" as enums.Color, status: "deleted", owner: "user-", width: "-0.5px" },
    { title: "", priority: 5 as enums.Priority, color: "RED" as enums.Color, status: "suspended", owner: "user-名前", width: "1e3px" },
    { title: "multi\nline", priority: 5 as enums.Priority, status: "active", owner: "user-line\nbreak", width: "5e-324px" },
  ];

  parity(split, enums, {
    nextColor: colors.map((c) => [c]),
    echoColors: [[[]], [colors], [[...colors, ...colors]]],
    escalate: priorities.map((p) => [p]),
    priorityName: priorities.map((p) => [p]),
    turnRight: directions.map((d) => [d]),
    levelAtLeast: [[10, 20], [40, 40], [30, 10]],
    statusOf: [["Active"], ["Suspended"], ["Deleted"]],
    statusKeyOf: [["active"], ["suspended"], ["deleted"]],
    httpText: [[200], [404], [418]],
    roll: [[1, 0, "sum"], [6, 2, "double"], [3, 1, 0], [3, 1, false]],
    confirmed: [["yes", true], ["no", true]],
    // `${string}` is any string to TypeScript, line breaks included.
    userNumber: [["user-42"], ["user-"], ["user-007"], ["user-1e3"], ["user--5"], ["user-\n5"], ["user-\u2028"]],
    makeUserId: [[42], [-1.5], [0], [Number.MAX_SAFE_INTEGER]],
    // `${number}` is whatever string `+s` reads as a finite number to TypeScript: "+5", "5.", "0x10", "1e-7"...
    scalePx: [["12px", 2], ["-0.5px", 3], ["1e3px", 0.5], ["0px", 1], [".5px", 4], ["+5px", 1], ["5.px", 2], ["1e-7px", 1], ["0x10px", 1]],
    oppositeCorner: [["top-left"], ["top-right"], ["bottom-left"], ["bottom-right"]],
    echoTask: tasks.map((t) => [t]),
    taskBadge: tasks.map((t) => [t]),
    colorTotal: [[{ RED: 1, GREEN: 2, BLUE: 3 }], [{ RED: 0, GREEN: 0, BLUE: 1e300 }]],
    someColors: [[{}], [{ BLUE: 1, RED: 0 }]],
    dataAttributes: [[{}], [{ "data-id": "1", "data-🙂": "x", "data-": "" }]],
  });

  test("the schemas are enforced: enum values (not member names), literals, template literal patterns", async () => {
    const s = split();
    for (const [fn, body, at] of [
      ["nextColor", { color: "PURPLE" }, "color"],
      ["nextColor", { color: "Red" }, "color"],
      ["escalate", { priority: 3 }, "priority"],
      ["escalate", { priority: "Low" }, "priority"],
      ["turnRight", { direction: "UP" }, "direction"],
      ["levelAtLeast", { level: 15, min: 10 }, "level"],
      ["statusOf", { key: "active" }, "key"],
      ["statusKeyOf", { value: "Active" }, "value"],
      ["httpText", { code: 500 }, "code"],
      ["roll", { die: 7, bonus: 0, mode: "sum" }, "die"],
      ["roll", { die: 1, bonus: 0, mode: true }, "mode"],
      ["confirmed", { answer: "yes", strict: false }, "strict"],
      ["userNumber", { id: "usr-1" }, "id"],
      ["userNumber", { id: "User-1" }, "id"],
      ["scalePx", { length: "12", factor: 1 }, "length"],
      ["scalePx", { length: "px", factor: 1 }, "length"],
      ["scalePx", { length: "abcpx", factor: 1 }, "length"],
      ["scalePx", { length: "12 pxx", factor: 1 }, "length"],
      ["oppositeCorner", { corner: "top-middle" }, "corner"],
      ["echoTask", { task: { ...tasks[0], owner: "admin" } }, "task.owner"],
      ["echoTask", { task: { ...tasks[0], width: "12em" } }, "task.width"],
      ["colorTotal", { counts: { RED: 1, BLUE: 1 } }, "counts.GREEN"],
      ["colorTotal", { counts: { RED: 1, GREEN: 1, BLUE: 1, Red: 1 } }, "counts.Red"],
      ["someColors", { counts: { PURPLE: 1 } }, "counts.PURPLE"],
      ["dataAttributes", { attrs: { id: "1" } }, "attrs.id"],
      ["dataAttributes", { attrs: { "data-x": 1 } }, 'attrs["data-x"]'],
    ] as const) {
      await assertRejected(s, fn, body, [{ path: at }]);
    }
  });
});
