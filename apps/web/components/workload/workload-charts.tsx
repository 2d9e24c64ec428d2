'use client';
// Workload and follow-through charts (recharts 3, as the dashboard): drawn in the browser, the
// figures themselves are in the tables the server renders beside them.
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

const AXIS = { fontSize: 12, fill: '#444e5c' };

export function PersonHoursChart({ rows }: { rows: { name: string; inside: number; outside: number }[] }) {
  return (
    <div className="chart" style={{ height: Math.max(160, rows.length * 30 + 60) }} data-testid="person-hours-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} layout="vertical" margin={{ left: 24, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tick={AXIS} unit=" h" />
          <YAxis type="category" dataKey="name" tick={AXIS} width={140} />
          <Tooltip formatter={(v) => `${Number(v).toFixed(1)} h`} />
          <Legend />
          <Bar dataKey="inside" name="Within working hours" stackId="h" fill="#2f6fb3" isAnimationActive={false} />
          <Bar dataKey="outside" name="Outside working hours" stackId="h" fill="#d9822b" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function OnDutyChart({ rows }: { rows: { label: string; perPerson: number | null; incidents: number; onDuty: number }[] }) {
  return (
    <div className="chart" style={{ height: 240 }} data-testid="on-duty-chart">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={{ left: 8, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" tick={AXIS} />
          <YAxis tick={AXIS} />
          <Tooltip />
          <Legend />
          <Line dataKey="perPerson" name="Incidents per on-duty person" stroke="#2f6fb3" dot isAnimationActive={false} />
          <Line dataKey="onDuty" name="People on duty" stroke="#7d8a99" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function FollowThroughChart({
  rows,
}: {
  rows: { name: string; onTime: number; late: number; openInTime: number; overdue: number; wontDo: number }[];
}) {
  return (
    <div className="chart" style={{ height: Math.max(160, rows.length * 30 + 60) }} data-testid="follow-through-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} layout="vertical" margin={{ left: 24, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tick={AXIS} allowDecimals={false} />
          <YAxis type="category" dataKey="name" tick={AXIS} width={140} />
          <Tooltip />
          <Legend />
          <Bar dataKey="onTime" name="Done on time" stackId="a" fill="#3f8f4f" isAnimationActive={false} />
          <Bar dataKey="late" name="Done late" stackId="a" fill="#a3c26b" isAnimationActive={false} />
          <Bar dataKey="openInTime" name="Open, not yet due" stackId="a" fill="#2f6fb3" isAnimationActive={false} />
          <Bar dataKey="overdue" name="Overdue" stackId="a" fill="#c43d3d" isAnimationActive={false} />
          <Bar dataKey="wontDo" name="Won't do" stackId="a" fill="#9aa3ad" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
