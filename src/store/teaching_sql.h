// SQL both backends share for teaching and volunteers: the fields of a
// replaced row kept in the revision tables, as the arguments of SQLite's
// json_object() and PostgreSQL's json_build_object() (same syntax).
#pragma once

namespace fx::store::teaching_sql {

inline constexpr const char* kClassDayJson =
    "'unit_id', unit_id, 'day', day, 'expected', expected, 'attending', attending, "
    "'note', note, 'actor', actor, 'updated_at', updated_at";
inline constexpr const char* kAccessJson =
    "'person_id', person_id, 'day', day, 'problem', problem, 'action', action, "
    "'resolved', resolved, 'actor', actor, 'updated_at', updated_at";
inline constexpr const char* kCareJson =
    "'person_id', person_id, 'category', category, 'teacher_id', teacher_id, 'note', note, "
    "'actor', actor, 'updated_at', updated_at";
inline constexpr const char* kSpotJson =
    "'person_id', person_id, 'caller', caller, 'called_at', called_at, "
    "'satisfaction', satisfaction, 'notes', notes, 'actor', actor, 'updated_at', updated_at";
inline constexpr const char* kActivityJson =
    "'level', level, 'kind', kind, 'subject', subject, 'day', day, 'count', count, "
    "'title', title, 'actor', actor, 'updated_at', updated_at";
inline constexpr const char* kShiftJson =
    "'site_id', site_id, 'role', role, 'start_at', start_at, 'end_at', end_at, 'note', note, "
    "'actor', actor, 'updated_at', updated_at";

// Reads (joined with people and units for names, codes and masked ID numbers).
inline constexpr const char* kClassDaySelect =
    "SELECT c.id, c.institution_id, c.unit_id, c.day, c.expected, c.attending, c.note, c.actor, "
    "c.updated_at, u.path FROM class_days c JOIN units u ON u.id = c.unit_id ";
inline constexpr const char* kAccessSelect =
    "SELECT a.id, a.institution_id, a.person_id, a.day, a.problem, a.action, a.resolved, "
    "a.actor, a.updated_at, p.name, p.person_code, p.id_masked, COALESCE(u.path, '') FROM "
    "access_issues a JOIN people p ON p.id = a.person_id LEFT JOIN units u ON u.id = p.unit_id ";
inline constexpr const char* kCareSelect =
    "SELECT c.id, c.institution_id, c.person_id, c.category, COALESCE(c.teacher_id, 0), c.note, "
    "c.actor, c.updated_at, p.name, p.person_code, p.id_masked, COALESCE(u.path, ''), "
    "COALESCE(t.name, '') FROM care_list c JOIN people p ON p.id = c.person_id LEFT JOIN units u "
    "ON u.id = p.unit_id LEFT JOIN people t ON t.id = c.teacher_id ";
inline constexpr const char* kSpotSelect =
    "SELECT s.id, s.institution_id, s.person_id, s.caller, s.called_at, s.satisfaction, s.notes, "
    "s.actor, s.updated_at, p.name, p.person_code, COALESCE(u.path, '') FROM spot_checks s JOIN "
    "people p ON p.id = s.person_id LEFT JOIN units u ON u.id = p.unit_id ";
inline constexpr const char* kActivitySelect =
    "SELECT id, level, COALESCE(institution_id, 0), kind, subject, day, count, title, actor, "
    "updated_at FROM research_activities ";
inline constexpr const char* kShiftSelect =
    "SELECT s.id, s.person_id, s.institution_id, s.site_id, s.role, s.start_at, s.end_at, "
    "s.note, s.actor, s.updated_at, p.name, p.person_code, v.name, v.kind FROM volunteer_shifts "
    "s JOIN people p ON p.id = s.person_id JOIN volunteer_sites v ON v.id = s.site_id ";

}  // namespace fx::store::teaching_sql
