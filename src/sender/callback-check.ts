/**
 * Callbacks this box can never deliver, judged when a handler is saved: an HTTP host the allow
 * setting does not name, or MQTT with no broker to publish to. What a host name resolves to is
 * judged again at each delivery.
 */
import type { SenderConfig } from '../config.ts';
import type { Callback } from './callback-schema.ts';
import { hostNameRefusal } from './host-allow.ts';

/** Says why a callback cannot be delivered, or undefined when it can. */
export type CallbackRefusal = (callback: Callback) => string | undefined;

/** The refusal rule of `config`. */
export function callbackRefusalOf(config: SenderConfig): CallbackRefusal {
  return (callback) => {
    if (callback.type === 'http') {
      const why = hostNameRefusal(new URL(callback.url).hostname, config.httpAllow);
      return why && `${why} (LUNETTE_SENDER_HTTP_ALLOW)`;
    }
    if (callback.type === 'mqtt' && !config.mqttUrl && !config.mqttListen) {
      return 'no MQTT broker on this box (MQTT_LISTEN is off and MQTT_URL unset)';
    }
    return undefined;
  };
}
