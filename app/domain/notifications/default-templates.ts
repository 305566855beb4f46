import type { Language, NotificationKind } from "./kinds";

// The wording shipped in code, per kind and language; a shop may replace any of them (NotificationTemplate).
// Bodies are plain text with {{variables}}; a blank line starts a paragraph in the HTML part.

export interface TemplateText {
  subject: string;
  body: string;
}

export const DEFAULT_TEMPLATES: Record<NotificationKind, Record<Language, TemplateText>> = {
  order_confirmation: {
    en: {
      subject: "Order {{orderName}} confirmed",
      body: "Hello {{customerName}},\n\nThank you for your order {{orderName}}. We have received it and are preparing it.\n\n{{shopName}}",
    },
    es: {
      subject: "Pedido {{orderName}} confirmado",
      body: "Hola {{customerName}}:\n\nGracias por tu pedido {{orderName}}. Lo hemos recibido y lo estamos preparando.\n\n{{shopName}}",
    },
  },
  backorder: {
    en: {
      subject: "Part of order {{orderName}} is on backorder",
      body: "Hello {{customerName}},\n\nSome items of your order {{orderName}} are not in stock right now. Expected: {{expectedDate}}.\nWe will send them as soon as they arrive.\n\n{{shopName}}",
    },
    es: {
      subject: "Parte del pedido {{orderName}} está pendiente de stock",
      body: "Hola {{customerName}}:\n\nAlgunos artículos de tu pedido {{orderName}} no están en stock ahora mismo. Fecha prevista: {{expectedDate}}.\nTe los enviaremos en cuanto lleguen.\n\n{{shopName}}",
    },
  },
  split_shipment: {
    en: {
      subject: "Order {{orderName}} ships in {{parcelCount}} parcels",
      body: "Hello {{customerName}},\n\nYour order {{orderName}} ships from more than one of our warehouses, so it will arrive in {{parcelCount}} parcels.\n\n{{shopName}}",
    },
    es: {
      subject: "El pedido {{orderName}} llegará en {{parcelCount}} paquetes",
      body: "Hola {{customerName}}:\n\nTu pedido {{orderName}} sale de más de uno de nuestros almacenes, así que llegará en {{parcelCount}} paquetes.\n\n{{shopName}}",
    },
  },
  shipped: {
    en: {
      subject: "Order {{orderName}} is on its way",
      body: "Hello {{customerName}},\n\nPart or all of your order {{orderName}} has shipped with {{carrier}}.\nTracking number: {{trackingNumber}}\nTrack it: {{trackingUrl}}\n\n{{shopName}}",
    },
    es: {
      subject: "Tu pedido {{orderName}} está en camino",
      body: "Hola {{customerName}}:\n\nTu pedido {{orderName}} (o parte de él) ha salido con {{carrier}}.\nNúmero de seguimiento: {{trackingNumber}}\nSeguimiento: {{trackingUrl}}\n\n{{shopName}}",
    },
  },
};

/** What the backorder notice says when no purchase order gives a date. */
export const UNKNOWN_DATE: Record<Language, string> = { en: "not known yet", es: "aún sin fecha" };
