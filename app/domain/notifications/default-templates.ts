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
  return_requested: {
    en: {
      subject: "Return {{rmaNumber}} for order {{orderName}} is requested",
      body: "Hello {{customerName}},\n\nWe have your request to return items of order {{orderName}}. Your return number (RMA) is {{rmaNumber}}.\nPrint your prepaid return label: {{labelUrl}}\nPack the items, stick the label on the parcel and write {{rmaNumber}} on a note inside. We will tell you when the return is approved.\n\n{{shopName}}",
    },
    es: {
      subject: "Devolución {{rmaNumber}} del pedido {{orderName}} solicitada",
      body: "Hola {{customerName}}:\n\nHemos recibido tu solicitud de devolución de artículos del pedido {{orderName}}. Tu número de devolución (RMA) es {{rmaNumber}}.\nImprime tu etiqueta de devolución prepagada: {{labelUrl}}\nEmpaqueta los artículos, pega la etiqueta en el paquete y escribe {{rmaNumber}} en una nota dentro. Te avisaremos cuando la devolución esté aprobada.\n\n{{shopName}}",
    },
  },
  return_approved: {
    en: {
      subject: "Return {{rmaNumber}} for order {{orderName}} is approved",
      body: "Hello {{customerName}},\n\nYour return {{rmaNumber}} for order {{orderName}} is approved. Send the items back with your prepaid label: {{labelUrl}}\n\n{{shopName}}",
    },
    es: {
      subject: "Devolución {{rmaNumber}} del pedido {{orderName}} aprobada",
      body: "Hola {{customerName}}:\n\nTu devolución {{rmaNumber}} del pedido {{orderName}} está aprobada. Envía los artículos con tu etiqueta prepagada: {{labelUrl}}\n\n{{shopName}}",
    },
  },
  return_declined: {
    en: {
      subject: "Return {{rmaNumber}} for order {{orderName}} could not be accepted",
      body: "Hello {{customerName}},\n\nWe are sorry: your return {{rmaNumber}} for order {{orderName}} could not be accepted.\nReason: {{declineReason}}\nPlease do not send the items. Reply to this e-mail if you have questions.\n\n{{shopName}}",
    },
    es: {
      subject: "No hemos podido aceptar la devolución {{rmaNumber}} del pedido {{orderName}}",
      body: "Hola {{customerName}}:\n\nLo sentimos: no hemos podido aceptar tu devolución {{rmaNumber}} del pedido {{orderName}}.\nMotivo: {{declineReason}}\nPor favor, no envíes los artículos. Responde a este correo si tienes preguntas.\n\n{{shopName}}",
    },
  },
  return_received: {
    en: {
      subject: "We received your return {{rmaNumber}} for order {{orderName}}",
      body: "Hello {{customerName}},\n\nYour return {{rmaNumber}} for order {{orderName}} has arrived. We are checking the items and will let you know when your refund or exchange is done.\n\n{{shopName}}",
    },
    es: {
      subject: "Hemos recibido tu devolución {{rmaNumber}} del pedido {{orderName}}",
      body: "Hola {{customerName}}:\n\nTu devolución {{rmaNumber}} del pedido {{orderName}} ha llegado. Estamos revisando los artículos y te avisaremos cuando tu reembolso o cambio esté listo.\n\n{{shopName}}",
    },
  },
  return_refunded: {
    en: {
      subject: "Return {{rmaNumber}} for order {{orderName}} is refunded",
      body: "Hello {{customerName}},\n\nYour return {{rmaNumber}} for order {{orderName}} is complete and refunded. The money goes back to your original payment method.\n\n{{shopName}}",
    },
    es: {
      subject: "Devolución {{rmaNumber}} del pedido {{orderName}} reembolsada",
      body: "Hola {{customerName}}:\n\nTu devolución {{rmaNumber}} del pedido {{orderName}} está completada y reembolsada. El importe vuelve a tu método de pago original.\n\n{{shopName}}",
    },
  },
  return_exchanged: {
    en: {
      subject: "Return {{rmaNumber}} for order {{orderName}}: your exchange is complete",
      body: "Hello {{customerName}},\n\nYour return {{rmaNumber}} for order {{orderName}} is complete: your replacement is on its way or already sent.\n\n{{shopName}}",
    },
    es: {
      subject: "Devolución {{rmaNumber}} del pedido {{orderName}}: tu cambio está completado",
      body: "Hola {{customerName}}:\n\nTu devolución {{rmaNumber}} del pedido {{orderName}} está completada: tu artículo de reemplazo está en camino o ya se ha enviado.\n\n{{shopName}}",
    },
  },
};

/** What the backorder notice says when no purchase order gives a date. */
export const UNKNOWN_DATE: Record<Language, string> = { en: "not known yet", es: "aún sin fecha" };
