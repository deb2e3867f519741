export {mapShopifyWebhook, type MapError, type MapResult, type WebhookMeta} from './webhook-mapper.js';
export {SUPPORTED_TOPICS} from './topics.js';
export {parseLossless, JsonNumber, type JsonValue, type JsonObject} from './lossless-json.js';
