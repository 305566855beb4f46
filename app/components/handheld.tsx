import { useEffect, useRef, type CSSProperties, type ReactNode } from "react";

// Handheld warehouse screens (issue 13, item 9): narrow, large targets, and a scan field that behaves like a
// keyboard-wedge scanner expects — it keeps the focus (taken back whenever nothing else has it) and its form is
// submitted by the Enter the scanner sends after the code.

export const handheldPage: CSSProperties = { maxWidth: 480, margin: "0 auto", padding: 12, fontSize: 18, fontFamily: "system-ui, sans-serif" };
export const bigButton: CSSProperties = { minHeight: 56, fontSize: 20, width: "100%", borderRadius: 8, border: "1px solid #8a8a8a", background: "#f1f1f1", marginTop: 8 };
/** A link that looks like `bigButton` (to the next screen, back to the list). */
export const linkButton: CSSProperties = { ...bigButton, display: "flex", alignItems: "center", padding: "0 12px", textDecoration: "none", color: "inherit", boxSizing: "border-box" };
export const bigInput: CSSProperties = { minHeight: 56, fontSize: 22, width: "100%", boxSizing: "border-box", padding: "0 12px", borderRadius: 8, border: "2px solid #303030" };

/** The scan field: focused on mount, after every submission (`resetKey` changes) and whenever the focus falls to the page. */
export function ScanInput({ name, label, resetKey, placeholder }: { name: string; label: string; resetKey: unknown; placeholder?: string }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) {
      ref.current.value = "";
      ref.current.focus();
    }
  }, [resetKey]);
  useEffect(() => {
    const keep = () => setTimeout(() => {
      if (document.activeElement === document.body || document.activeElement === null) ref.current?.focus();
    }, 0);
    const input = ref.current;
    input?.addEventListener("blur", keep);
    return () => input?.removeEventListener("blur", keep);
  }, []);
  return (
    <label style={{ display: "block" }}>
      <span style={{ display: "block", marginBottom: 4 }}>{label}</span>
      <input ref={ref} name={name} autoComplete="off" autoCapitalize="characters" spellCheck={false} enterKeyHint="go" placeholder={placeholder} style={bigInput} aria-label={label} />
    </label>
  );
}

export function Notice({ tone, children }: { tone: "ok" | "error"; children: ReactNode }) {
  return (
    <div role={tone === "error" ? "alert" : "status"} style={{ padding: 12, marginTop: 12, borderRadius: 8, fontSize: 18, background: tone === "error" ? "#fde2e1" : "#dcf5e3", border: `2px solid ${tone === "error" ? "#c7372f" : "#2e7d4a"}` }}>
      {children}
    </div>
  );
}
