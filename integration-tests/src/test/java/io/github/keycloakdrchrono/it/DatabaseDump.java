package io.github.keycloakdrchrono.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code pg_dump --data-only} would show of a database, made over JDBC because the embedded PostgreSQL ships
 * no pg_dump: every row of every table in the current schema, in PostgreSQL's text form of the whole row (so no
 * column, whatever its type, is left out).
 */
final class DatabaseDump {

    /** DrChrono's token shape, standing alone as it would in JSON or a column of its own. */
    private static final Pattern TOKEN_SHAPED = Pattern.compile("(?<![A-Za-z0-9])[A-Za-z0-9]{30}(?![A-Za-z0-9])");

    final String text;
    final int tables;

    private DatabaseDump(String text, int tables) {
        this.text = text;
        this.tables = tables;
    }

    static DatabaseDump of(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select table_name from information_schema.tables"
                        + " where table_schema = current_schema() and table_type = 'BASE TABLE'"
                        + " order by table_name")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        StringBuilder dump = new StringBuilder();
        for (String table : tables) {
            String quoted = "\"" + table.replace("\"", "\"\"") + "\"";
            dump.append("-- ").append(table).append('\n');
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("select t::text from " + quoted + " t")) {
                while (rows.next()) {
                    dump.append(rows.getString(1)).append('\n');
                }
            }
        }
        return new DatabaseDump(dump.toString(), tables.size());
    }

    /** Every stand-alone 30-character alphanumeric word: where a plain-text DrChrono token would show. */
    Set<String> tokenShapedWords() {
        Set<String> words = new TreeSet<>();
        Matcher matcher = TOKEN_SHAPED.matcher(text);
        while (matcher.find()) {
            words.add(matcher.group());
        }
        return words;
    }
}
