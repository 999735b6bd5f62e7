import { TransferReviewList } from './TransferReviewList.tsx';
import { TransferReviewShow } from './TransferReviewShow.tsx';

export const transferReviews = {
  list: TransferReviewList,
  show: TransferReviewShow,
  options: { label: 'Transfers to review' },
};
