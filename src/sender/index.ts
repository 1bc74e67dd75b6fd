/** Public face of the sender: callbacks schema, outbox, dispatcher, MQTT, WebSocket, Redis. */

export { type CallbackRefusal, callbackRefusalOf } from './callback-check.ts';
export {
  CALLBACK,
  CALLBACKS,
  type Callback,
  type HttpCallback,
  type MqttCallback,
} from './callback-schema.ts';
export { backoffMs } from './dispatcher.ts';
export { addressAllowed, hostNameRefusal, hostRefusal, isLoopback } from './host-allow.ts';
export { authorizationOf, mayWatch } from './mqtt-broker.ts';
export { createSenderModule, type SenderDeps, type SenderModule } from './sender-module.ts';
export { WS_OPENAPI } from './ws-route.ts';
