import { useDroppedRecords } from '../../engine/EngineProvider';
import { droppedText } from '../../engine/engineState';

/** Records a list left out because they failed validation: the rest is shown, and this says what is missing. */
export function DroppedRecordsNotice() {
  const dropped = useDroppedRecords();
  if (!dropped.size) return null;
  return (
    <>
      {[...dropped].map(([method, records]) => (
        <span key={method} className="warn-text" data-testid="status-dropped-records">
          {droppedText(method, records)}
        </span>
      ))}
    </>
  );
}
