import { describe, expect, it } from "vitest";
import { afterAttempt, credentialOf, isDue, MAX_DELIVERY_ATTEMPTS, remoteFileName, sftpDeliveryInput } from "./partner-delivery";

const FP = "SHA256:" + "A".repeat(43);
const good = { kind: "sftp", host: "edi.acme.example", username: "oms", password: "s3cret", directory: "/inbound", hostKeySha256: FP };

describe("sftpDeliveryInput", () => {
  it("takes a password or a private key, defaults the port, and says which secret it holds", () => {
    const parsed = sftpDeliveryInput.parse(good);
    expect(parsed.port).toBe(22);
    expect(credentialOf(parsed)).toEqual({ authKind: "password", secret: "s3cret" });
    const key = "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n";
    const withKey = sftpDeliveryInput.parse({ ...good, password: undefined, privateKey: key, port: 2222 });
    expect(credentialOf(withKey)).toEqual({ authKind: "key", secret: key });
  });

  it("refuses each bad field with a reason, both or neither secret, and unknown fields", () => {
    const issues = (v: unknown) => {
      const r = sftpDeliveryInput.safeParse(v);
      return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
    };
    expect(issues({ ...good, host: "bad host!" })).toEqual(["host"]);
    expect(issues({ ...good, port: 70_000 })).toEqual(["port"]);
    expect(issues({ ...good, directory: "/in/../etc" })).toEqual(["directory"]);
    expect(issues({ ...good, hostKeySha256: "aa:bb:cc" })).toEqual(["hostKeySha256"]);
    expect(issues({ ...good, privateKey: "not a key" })).toEqual(["privateKey", "password"]); // and both secrets given
    expect(issues({ ...good, password: undefined })).toEqual(["password"]);
    expect(issues({ ...good, privateKey: "-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----" })).toEqual(["password"]);
    expect(issues({ ...good, extra: 1 })).toEqual([""]);
  });
});

describe("remoteFileName", () => {
  it("names the partner, the type, our control number and the document key, in safe characters", () => {
    expect(remoteFileName("ACME", { id: "d1", type: "856", documentKey: "shipment:abc/1", interchangeControl: 42 })).toBe("ACME_856_000000042_shipment_abc_1.edi");
    expect(remoteFileName("A B", { id: "d2", type: "997", documentKey: "ic:7", interchangeControl: null })).toBe("A_B_997_ic_7.edi");
  });
});

describe("delivery attempts", () => {
  it("a document is due until sent, or until its attempts run out", () => {
    expect(isDue(undefined)).toBe(true);
    let state = afterAttempt(undefined, { ok: false });
    expect(state).toEqual({ status: "failed", attempts: 1 });
    expect(isDue(state)).toBe(true);
    for (let i = 1; i < MAX_DELIVERY_ATTEMPTS; i++) state = afterAttempt(state, { ok: false });
    expect(state.attempts).toBe(MAX_DELIVERY_ATTEMPTS);
    expect(isDue(state)).toBe(false);
    expect(isDue(afterAttempt(undefined, { ok: true }))).toBe(false);
  });
});
