import type { Component } from 'vue';
import {
  Box,
  Calendar,
  ChatDotRound,
  DataLine,
  Document,
  DocumentChecked,
  EditPen,
  FirstAidKit,
  Grid,
  Guide,
  House,
  Location,
  OfficeBuilding,
  PieChart,
  Postcard,
  Stamp,
  Tickets,
  TrendCharts,
  UserFilled,
  Van,
  VideoCamera,
} from '@element-plus/icons-vue';
import type { Role } from '@/api';

/** A feature of a staff workbench. `live` ones are built; the others are shown as coming soon. */
export interface Feature {
  key: string;
  icon: Component;
  live?: boolean;
}

export const FEATURES: Record<Exclude<Role, 'patient'>, Feature[]> = {
  admin: [
    { key: 'users', icon: UserFilled, live: true },
    { key: 'doctorReview', icon: Stamp },
    { key: 'departments', icon: OfficeBuilding },
    { key: 'dashboard', icon: DataLine },
  ],
  doctor: [
    { key: 'queue', icon: ChatDotRound },
    { key: 'schedule', icon: Calendar },
    { key: 'records', icon: Document },
    { key: 'prescribe', icon: FirstAidKit },
    { key: 'remote', icon: VideoCamera },
    { key: 'credentials', icon: Postcard },
  ],
  pharmacist: [
    { key: 'review', icon: DocumentChecked },
    { key: 'reviewHistory', icon: Tickets },
  ],
  pharmacy_staff: [
    { key: 'stock', icon: Box },
    { key: 'orders', icon: Van },
  ],
  nurse: [
    { key: 'homeVisits', icon: House },
    { key: 'escort', icon: Guide },
  ],
  lab: [
    { key: 'testBookings', icon: Calendar },
    { key: 'results', icon: EditPen },
  ],
  health_authority: [
    { key: 'codeRules', icon: Grid },
    { key: 'riskAreas', icon: Location },
    { key: 'epidemic', icon: TrendCharts },
    { key: 'statistics', icon: PieChart },
  ],
};
