import { describe, expect, it } from 'vitest';
import { createConnectionGate, NARROWED_FOR_MS, narrowOnRefusal } from './connection-gate.ts';

/** A call that stays in flight until `finish()` is called. */
function held() {
  let finish = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return { finish, work: () => done };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('a lane of the connection gate', () => {
  it('bounds its own calls and counts them in the gate', async () => {
    const gate = createConnectionGate(5);
    const lane = gate.lane('gmail', 2);
    const calls = [held(), held(), held()];
    const running = calls.map((call) => lane.run('c1', 1, call.work));
    const other = held();
    const calendar = gate.run('c1', 1, other.work);
    await settle();
    const during = [lane.inFlight('c1'), gate.inFlight('c1')];
    for (const call of calls) call.finish();
    other.finish();
    await Promise.all([...running, calendar]);
    expect({
      during,
      after: [lane.inFlight('c1'), gate.inFlight('c1')],
      same: gate.lane('gmail', 7) === lane,
    }).toStrictEqual({ during: [2, 3], after: [0, 0], same: true });
  });
});

describe('narrowing a connection', () => {
  it('holds its calls to fewer for a minute after the last refusal, and always runs one', async () => {
    let clock = 0;
    const gate = createConnectionGate(10, () => clock);
    const first = held();
    const running = gate.run('c1', 1, first.work);
    gate.narrow('c1', 0);
    const narrowed = gate.capacity('c1');
    // Wider than the narrowed connection allows: it waits for the call in flight, then runs.
    const wide = held();
    let started = false;
    const waiting = gate.run('c1', 4, () => {
      started = true;
      return wide.work();
    });
    await settle();
    const startedWhileBusy = started;
    first.finish();
    await running;
    await settle();
    const startedWhenAlone = started;
    wide.finish();
    await waiting;
    clock += NARROWED_FOR_MS - 1;
    const beforeMinute = gate.capacity('c1');
    clock += 1;
    expect({
      narrowed,
      startedWhileBusy,
      startedWhenAlone,
      beforeMinute,
      afterMinute: gate.capacity('c1'),
      other: gate.capacity('c2'),
    }).toStrictEqual({
      narrowed: 1,
      startedWhileBusy: false,
      startedWhenAlone: true,
      beforeMinute: 1,
      afterMinute: 10,
      other: 10,
    });
  });

  it('narrows to one fewer than the place a refused call had in flight', async () => {
    const gate = createConnectionGate(10);
    const watched = narrowOnRefusal(gate, (result) => result === 'refused');
    const calls = [held(), held(), held()];
    const running = calls.map((call) => watched.run('c1', 1, call.work));
    await settle();
    const refused = await watched.run('c1', 1, async () => 'refused');
    for (const call of calls) call.finish();
    await Promise.all(running);
    expect([refused, gate.capacity('c1')]).toStrictEqual(['refused', 3]);
  });
});
