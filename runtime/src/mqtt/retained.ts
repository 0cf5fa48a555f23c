/**
 * What one token's clients may keep retained on the embedded broker: aedes keeps every retained
 * message in memory and sends it to each new subscriber (100 retained messages of 1 MiB added
 * 113 MiB to hearthd in the probe).
 */
export const RETAINED_PER_TOKEN = { messages: 100, bytes: 1024 * 1024 };

interface Held {
  holder: string;
  bytes: number;
}

/** Who holds each retained message, and how much each holder holds. */
export function createRetainedLedger(quota: { messages: number; bytes: number }) {
  const byTopic = new Map<string, Held>();
  const byHolder = new Map<string, { messages: number; bytes: number }>();

  function release(topic: string): void {
    const held = byTopic.get(topic);
    if (!held) return;
    byTopic.delete(topic);
    const usage = byHolder.get(held.holder)!;
    usage.messages -= 1;
    usage.bytes -= held.bytes;
    if (usage.messages === 0) byHolder.delete(held.holder);
  }

  return {
    /**
     * Records a retained publish when it fits the holder's quota, counting the message it
     * replaces on that topic; an empty one clears the topic, as MQTT says. False: over quota,
     * nothing recorded.
     */
    admit(holder: string, topic: string, payloadBytes: number): boolean {
      if (payloadBytes === 0) {
        release(topic);
        return true;
      }
      const bytes = Buffer.byteLength(topic) + payloadBytes;
      const usage = byHolder.get(holder) ?? { messages: 0, bytes: 0 };
      const previous = byTopic.get(topic);
      const replaced = previous?.holder === holder ? previous : undefined;
      const messages = usage.messages - (replaced ? 1 : 0) + 1;
      const total = usage.bytes - (replaced?.bytes ?? 0) + bytes;
      if (messages > quota.messages || total > quota.bytes) return false;
      release(topic);
      byTopic.set(topic, { holder, bytes });
      const current = byHolder.get(holder) ?? { messages: 0, bytes: 0 };
      byHolder.set(holder, { messages: current.messages + 1, bytes: current.bytes + bytes });
      return true;
    },
  };
}
