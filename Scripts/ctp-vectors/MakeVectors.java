// Writes ctp-function-vectors.json: inputs and the outputs of RSNA CTP's own AnonymizerFunctions
// (CTP.jar, util.jar from ../shared/peers/ctp/jars beside the repository, CTP commit 361e90f8032fbb343000f3397159ae24a001229a).
// Run through make-vectors.sh (TZ pinned to UTC). Test data is synthetic: no real names, IDs or dates of anyone.
//
// Every value comes from CTP. The hash, name and age functions call AnonymizerFunctions directly (an exception
// is written as null). The date functions @incrementdate, @modifydate and @hashdate run through CTP's script
// engine, DICOMAnonymizer.makeReplacement("@hashdate(this,PatientID)", ...), on an in-memory dcm4che dataset
// holding the date (as LO, so dcm4che does not validate it) and PatientID; "@empty()" is written as null. Where
// dcm4che would not give the engine the exact input text back, scriptDates() (a transcription of those lines of
// DICOMAnonymizer over AnonymizerFunctions) is used instead, and the vector says "via":"transcription".
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.*;
import org.dcm4che.data.Dataset;
import org.dcm4che.data.DcmObjectFactory;
import org.dcm4che.dict.Tags;
import org.rsna.ctp.stdstages.anonymizer.AnonymizerFunctions;
import org.rsna.ctp.stdstages.anonymizer.dicom.DICOMAnonymizer;
import org.rsna.ctp.stdstages.anonymizer.dicom.DICOMAnonymizerContext;

public class MakeVectors {
    interface Fn { String call() throws Exception; }

    static final StringBuilder out = new StringBuilder("[\n");
    static int count = 0;

    static String via = null;

    static void add(String f, Object[] args, Fn fn) {
        String result;
        via = null;
        try { result = fn.call(); } catch (Exception e) { result = null; }
        if (count++ > 0) out.append(",\n");
        out.append("{\"f\":").append(json(f)).append(",\"args\":[");
        for (int i = 0; i < args.length; i++) {
            if (i > 0) out.append(",");
            Object a = args[i];
            out.append(a == null ? "null" : (a instanceof String) ? json((String) a) : a.toString());
        }
        out.append("]");
        if (via != null) out.append(",\"via\":").append(json(via));
        out.append(",\"out\":").append(result == null ? "null" : json(result)).append("}");
    }

    // ASCII JSON; a lone surrogate (half a pair, as @initials can make) becomes '?', as Java's UTF-8 encoder writes it.
    static String json(String s) {
        s = new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    static int len(Integer n) { return n == null ? Integer.MAX_VALUE : n; }

    // DICOMAnonymizer.incrementdate/modifydate/hashdate around AnonymizerFunctions, per value.
    interface PerValue { String call(String date) throws Exception; }
    static String scriptDates(String date, PerValue f) throws Exception {
        if (date.length() < 8) return null; // CTP: @empty()
        String[] dates = date.split("\\\\");
        StringBuffer sb = new StringBuffer();
        for (int i = 0; i < dates.length; i++) {
            if (i > 0) sb.append("\\");
            sb.append(f.call(dates[i]));
        }
        return sb.toString();
    }
    // Runs cmd through CTP's script engine with StudyDate = date and PatientID = patientID; null when the
    // in-memory dataset would not hand the engine these exact texts.
    static String viaScript(String cmd, String date, String patientID) throws Exception {
        Dataset ds = DcmObjectFactory.getInstance().newDataset();
        ds.putLO(Tags.PatientID, patientID);
        if (date.contains("\\")) ds.putLO(Tags.StudyDate, date.split("\\\\", -1)); else ds.putLO(Tags.StudyDate, date);
        DICOMAnonymizerContext ctx = new DICOMAnonymizerContext(new Properties(), new Properties(), null, ds,
            DcmObjectFactory.getInstance().newDataset());
        if (!date.equals(ctx.contents("this", Tags.StudyDate)) || !patientID.equals(ctx.contents("PatientID", Tags.StudyDate))) return null;
        return DICOMAnonymizer.makeReplacement(cmd, ctx, Tags.StudyDate);
    }

    static String dateScript(String cmd, String date, String patientID, Fn transcription) throws Exception {
        String r = viaScript(cmd, date, patientID);
        if (r == null) { via = "transcription"; return transcription.call(); }
        via = "script";
        return r.equals("@empty()") ? null : r;
    }

    static String star(Integer n) { return n == null ? "*" : n.toString(); }

    static long hashDateShift(String unhashed) throws Exception {
        String incString = AnonymizerFunctions.hash(unhashed, -1);
        int n = incString.length();
        if (n > 4) incString = incString.substring(n - 4, n);
        long inc = Long.parseLong(incString);
        inc = -1 * (inc % (10 * 365));
        if (inc == 0) inc = -1;
        return inc;
    }

    static void hashuid(String prefix, String uid) { add("hashuid", new Object[]{prefix, uid}, () -> AnonymizerFunctions.hashUID(prefix, uid)); }
    static void hash(String v, Integer n) { add("hash", new Object[]{v, n}, () -> AnonymizerFunctions.hash(v, len(n))); }
    static void hashptid(String s, String p, Integer n) { add("hashptid", new Object[]{s, p, n}, () -> AnonymizerFunctions.hashPtID(s, p, len(n))); }
    static void hashname(String v, int n, Integer w) { add("hashname", new Object[]{v, n, w}, () -> AnonymizerFunctions.hashName(v, n, w == null ? 0 : w)); }
    static void initials(String v) { add("initials", new Object[]{v}, () -> AnonymizerFunctions.initials(v)); }
    static void round(String v, int w) { add("round", new Object[]{v, w}, () -> AnonymizerFunctions.round(v, w)); }
    static void incrementdate(String d, int days) {
        add("incrementdate", new Object[]{d, days}, () -> dateScript("@incrementdate(this," + days + ")", d, "PID",
            () -> scriptDates(d, x -> AnonymizerFunctions.incrementDate(x, days))));
    }
    static void modifydate(String d, Integer y, Integer m, Integer day) {
        add("modifydate", new Object[]{d, y, m, day}, () -> dateScript(
            "@modifydate(this," + star(y) + "," + star(m) + "," + star(day) + ")", d, "PID",
            () -> scriptDates(d, x -> AnonymizerFunctions.modifyDate(x, y == null ? -1 : y, m == null ? -1 : m, day == null ? -1 : day))));
    }
    static void hashdate(String d, String h) {
        add("hashdate", new Object[]{d, h}, () -> dateScript("@hashdate(this,PatientID)", d, h,
            () -> { long inc = hashDateShift(h); return scriptDates(d, x -> AnonymizerFunctions.incrementDate(x, inc)); }));
    }

    static final String[] NAMES = {"Doe^John", "DOE^JANE^Q", "O'Brien^Mary-Kate", "de la Cruz^José", "Müller^Jürgen^Ä",
        "Straße^Groß", "Łukasz^Żółć", "Ørsted^Åse", "Иванов^Пётр", "Παπαδόπουλος^Γιώργος", "山田^太郎", "홍^길동",
        "^Alone", "Trailing^^^", "", " ", "Smith, J.", "a^b^c^d^e", "ı^ǆ^ŉ", "TEST^\uD835\uDC00math", "Tab\tName^X",
        "dot.name^St. John", "ᾳ^ﬀ"};

    // --jsonl IN OUT: evaluates calls written by the Swift reference test (CTP_REFERENCE_DUMP), one JSON result
    // a line, so the random inputs can be checked against CTP too. Keyed calls (not CTP-compatible) give "keyed".
    static void jsonl(String in, String outPath) throws Exception {
        List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of(in), StandardCharsets.UTF_8);
        StringBuilder results = new StringBuilder();
        for (String line : lines) {
            if (line.isBlank()) continue;
            Map<String, Object> call = new MiniJson(line).object();
            List<?> a = (List<?>) call.get("args");
            String result;
            if (call.get("key") != null) result = "keyed";
            else {
                count = 0; out.setLength(0);
                dispatch((String) call.get("f"), a);
                String row = out.toString();
                result = row.substring(row.lastIndexOf("\"out\":") + 6, row.length() - 1);
                results.append(result).append('\n');
                continue;
            }
            results.append(json(result)).append('\n');
        }
        java.nio.file.Files.writeString(java.nio.file.Path.of(outPath), results.toString(), StandardCharsets.UTF_8);
    }

    static Integer num(Object o) { return o == null ? null : ((Long) o).intValue(); }
    static void dispatch(String f, List<?> a) {
        switch (f) {
            case "hashuid" -> hashuid((String) a.get(0), (String) a.get(1));
            case "hash" -> hash((String) a.get(0), num(a.get(1)));
            case "hashptid" -> hashptid((String) a.get(0), (String) a.get(1), num(a.get(2)));
            case "hashname" -> hashname((String) a.get(0), num(a.get(1)), num(a.get(2)));
            case "initials" -> initials((String) a.get(0));
            case "round" -> round((String) a.get(0), num(a.get(1)));
            case "incrementdate" -> incrementdate((String) a.get(0), num(a.get(1)));
            case "modifydate" -> modifydate((String) a.get(0), num(a.get(1)), num(a.get(2)), num(a.get(3)));
            case "hashdate" -> hashdate((String) a.get(0), (String) a.get(1));
            default -> throw new IllegalArgumentException(f);
        }
    }

    // Just enough JSON for the call lines: objects, arrays, strings, integers, null.
    static final class MiniJson {
        final String s; int i = 0;
        MiniJson(String s) { this.s = s; }
        void ws() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }
        Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') return object();
            if (c == '[') { i++; List<Object> l = new ArrayList<>(); ws(); if (s.charAt(i) == ']') { i++; return l; }
                while (true) { l.add(value()); ws(); if (s.charAt(i++) == ']') return l; } }
            if (c == '"') return string();
            if (s.startsWith("null", i)) { i += 4; return null; }
            int start = i; if (c == '-') i++; while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            return Long.parseLong(s.substring(start, i));
        }
        Map<String, Object> object() {
            ws(); i++; Map<String, Object> m = new LinkedHashMap<>(); ws();
            if (s.charAt(i) == '}') { i++; return m; }
            while (true) { ws(); String k = string(); ws(); i++; m.put(k, value()); ws(); if (s.charAt(i++) == '}') return m; }
        }
        String string() {
            i++; StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c != '\\') { b.append(c); continue; }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n'); case 't' -> b.append('\t'); case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b'); case 'f' -> b.append('\f');
                    case 'u' -> { b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; }
                    default -> b.append(e);
                }
            }
        }
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 3 && argv[0].equals("--jsonl")) { jsonl(argv[1], argv[2]); return; }
        // @hashuid
        for (String p : new String[]{"1.2.3", "1.2.3.", " 1.2.840.99999. ", "", ".", "2.25"}) {
            for (String u : new String[]{"1.2.840.10008.1.2", "1.3.6.1.4.1.5962.99.1.1", "", "1.2.3\u0000"}) hashuid(p, u);
        }
        hashuid("1.2.826.0.1.3680043.10.999.123456789.123456789.123456789", "1.2.3.4"); // cut at 64
        // @hash
        for (String v : new String[]{"", "A", "123456", "Doe^John", "Ünïcødé", "with space ", "\u0000"})
            for (Integer n : new Integer[]{null, 0, -3, 1, 4, 10, 39, 64}) hash(v, n);
        // @hashptid
        for (String s : new String[]{"SITE1", " site2 ", ""})
            for (String p : new String[]{"PID-0001", " 12345 ", "", "Ωmega"}) hashptid(s, p, s.isEmpty() ? null : 10);
        // @hashname, @initials
        for (String v : NAMES) {
            hashname(v, 4, null); hashname(v, 8, 2); hashname(v, 0, 1); hashname(v, -1, -2);
            initials(v);
        }
        initials("Doe,John Q"); initials("  doe ^ john  "); initials("\u0001Doe^John");
        // @round
        for (String a : new String[]{"027Y", "032Y", "002Y", "12M", "000D", "089Y", "  45 ", "Y", "", " ", "1.5Y", "007W",
                "Ä12Y", "999999999", "012Y"})
            for (int w : new int[]{1, 5, 10, 0, -5, 3}) round(a, w);
        // @incrementdate
        String[] dates = {"20240229", "2024-02-29", "20231231", "19000101", "00120305", "15821004", "15821015",
            "15821010", "15000229", "20230230", "20231301", "20230000", "+0230101", "2023010", "", "abcdefgh",
            "20240101\\20240201", "20240101\\", "\\20240101", "20240101\\bad", "20240101120000", "20240101123000.5",
            "20240101235959", "2024010199", "20240101990000", "20240101120000-0500", "20240101120000+0500",
            "2024-01-01T12:00:00", "2024 01 01", "20240101.000", "٢٠٢٤٠١٠١", "20240101&x", "2024010112&00",
            "10000101", "00000101", "99991231", "20240101\\\\20240102", "\\\\\\\\\\\\\\\\", "20240101NaN",
            "2024010112005e1", "202401011200Infinity", "20240101120000f",
            "2024010112000x1p3", "2024010112000X1.8P4f", "2024010112000x.8p1", "2024010112000x1", "2024010112000x1p"};
        for (String d : dates) for (int days : new int[]{0, 1, -1, 365, -3649, 100000, Integer.MIN_VALUE}) incrementdate(d, days);
        // @modifydate
        for (String d : new String[]{"20240229", "2024-02-29", "15821004", "00000101", "20240101120000", "bad", "20240115\\20230620"}) {
            modifydate(d, null, null, null); modifydate(d, 2000, null, null); modifydate(d, null, 13, null);
            modifydate(d, null, null, 0); modifydate(d, 1582, 10, 10); modifydate(d, 0, 1, 1); modifydate(d, null, 2, 31);
        }
        // All three fields given: CTP's calendar is never normalized, so hour overflow days count and the era is AD.
        for (String d : new String[]{"20240101800000", "2024010149", "+0000101", "+0000101120000", "20240101120000-0500"}) {
            modifydate(d, 2000, 1, 1); modifydate(d, 2000, null, 1); modifydate(d, 1000, 2, 29); modifydate(d, 0, 0, 0);
        }
        // @hashdate
        for (String d : new String[]{"20240229", "2024-02-29", "20240101\\20240102", "1234567", "20240101120000", "x"})
            for (String h : new String[]{"PID-0001", "", "Ωmega", "12345"}) hashdate(d, h);

        // Seeded random inputs over the same functions.
        Random r = new Random(20261205L);
        for (int i = 0; i < 300; i++) {
            String uid = "1.2." + r.nextInt(100000) + "." + Math.abs(r.nextLong());
            switch (i % 8) {
                case 0 -> hashuid("1.2.3." + r.nextInt(1000), uid);
                case 1 -> hash(uid, r.nextInt(45) - 3);
                case 2 -> hashptid("S" + r.nextInt(100), "PID" + r.nextInt(1000000), r.nextInt(20));
                case 3 -> hashname(NAMES[r.nextInt(NAMES.length)] + r.nextInt(10), r.nextInt(12), r.nextInt(4));
                case 4 -> initials(NAMES[r.nextInt(NAMES.length)] + "^x" + r.nextInt(10));
                case 5 -> round(String.format("%03dY", r.nextInt(120)), 1 + r.nextInt(10));
                case 6 -> incrementdate(String.format("%04d%02d%02d", 1000 + r.nextInt(9000), r.nextInt(14), r.nextInt(33)), r.nextInt(20000) - 10000);
                default -> hashdate(String.format("%04d%02d%02d", 1500 + r.nextInt(600), 1 + r.nextInt(12), 1 + r.nextInt(28)), "PID" + r.nextInt(1000));
            }
        }
        out.append("\n]\n");
        try (Writer w = new OutputStreamWriter(new FileOutputStream(argv[0]), StandardCharsets.UTF_8)) { w.write(out.toString()); }
        System.out.println("wrote " + count + " vectors to " + argv[0]);
    }
}
