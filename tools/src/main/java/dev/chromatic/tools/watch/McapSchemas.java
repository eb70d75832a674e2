package dev.chromatic.tools.watch;

import java.nio.charset.StandardCharsets;

/** The JSON Schemas (draft 2020-12) of the channels of a telemetry MCAP recording; see docs/mqtt.md. */
final class McapSchemas {

    private McapSchemas() {
    }

    private static final String NUMBERS = "{\"type\":\"array\",\"items\":{\"type\":[\"number\",\"null\"]}}";

    static final byte[] TELEMETRY_SAMPLE = ("""
            {"$schema":"https://json-schema.org/draft/2020-12/schema","title":"chromatic telemetry sample",
             "description":"One control cycle as the robot sampled it (from a TelemetryBatchFb); log_time is time_ns.",
             "type":"object",
             "properties":{
              "batch":{"type":"integer","description":"telemetry batch number, from 1"},
              "cycle":{"type":"integer","description":"loop cycle"},
              "time_ns":{"type":"integer","description":"loop clock (monotonic) at wake-up, ns"},
              "lateness_ns":{"type":"integer","description":"wake-up time minus the cycle's deadline, ns"},
              "cycle_ns":{"type":"integer","description":"deadline to end of cycle, ns"},
              "state":{"enum":["disarmed","armed","safe","unknown"]},
              "safe_reason":{"type":"string"},
              "phase":{"enum":["none","stand_up","settle","policy","unknown"]},
              "roll_rad":{"type":["number","null"]},
              "pitch_rad":{"type":["number","null"]},
              "roll_rate_rad_s":{"type":["number","null"]},
              "pitch_rate_rad_s":{"type":["number","null"]},
              "observation":%1$s,
              "action":%1$s,
              "motor_target_rad":%1$s,
              "motor_angle_rad":%1$s,
              "period_ns":{"type":"integer","description":"the loop's period, ns"},
              "overruns":{"type":"integer"},
              "dropped":{"type":"integer","description":"samples lost on the robot so far"}
             },
             "required":["cycle","time_ns","state","roll_rad","pitch_rad","action","motor_target_rad","motor_angle_rad"]}
            """.formatted(NUMBERS)).getBytes(StandardCharsets.UTF_8);

    static final byte[] STATE = """
            {"$schema":"https://json-schema.org/draft/2020-12/schema","title":"chromatic robot state",
             "description":"The retained state topic; log_time is its arrival mapped onto the robot's loop clock.",
             "type":"object",
             "properties":{
              "robot_id":{"type":"string"},
              "online":{"type":"boolean"},
              "state":{"enum":["disarmed","armed","safe"]},
              "armed":{"type":"boolean"},
              "safe_reason":{"type":["string","null"]},
              "phase":{"type":"string"},
              "policy_sha256":{"type":["string","null"]},
              "policy_version":{"type":["integer","null"]},
              "rate_hz":{"type":"number"},
              "last_seq":{"type":"integer"},
              "policy_store":{"type":"object"}
             },
             "required":["robot_id","online"]}
            """.getBytes(StandardCharsets.UTF_8);

    static final byte[] EVENT = """
            {"$schema":"https://json-schema.org/draft/2020-12/schema","title":"chromatic robot event",
             "description":"One message of the events topic; loop events carry time_ns (the log_time), others time_ms (wall clock).",
             "type":"object",
             "properties":{
              "event":{"type":"string"},
              "reason":{"type":"string"},
              "cycle":{"type":"integer"},
              "time_ns":{"type":"integer"},
              "time_ms":{"type":"integer"},
              "detail":{"type":"string"}
             },
             "required":["event"],
             "additionalProperties":true}
            """.getBytes(StandardCharsets.UTF_8);
}
